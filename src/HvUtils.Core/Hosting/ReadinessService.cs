using HvUtils.Core.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Hosting;

/// <summary>
/// READY=1 once every enabled channel is registered or waiting for its device; STATUS=
/// on every state change; STOPPING=1 when shutdown begins.
/// </summary>
public sealed class ReadinessService(ChannelRegistry registry, SystemdNotifier notifier, IHostApplicationLifetime lifetime, ILogger<ReadinessService> logger)
    : IHostedService
{
    private volatile bool _ready;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.StateChanged += OnStateChanged;
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1"));
        Task.WhenAll(registry.Runners.Select(r => r.Settled)).ContinueWith(_ =>
        {
            _ready = true;
            notifier.Notify($"READY=1\nSTATUS={registry.StatusLine()}\nMAINPID={Environment.ProcessId}");
            logger.LogInformation("ready: {Status}", registry.StatusLine());
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.StateChanged -= OnStateChanged;
        return Task.CompletedTask;
    }

    private void OnStateChanged()
    {
        if (_ready)
        {
            notifier.Notify($"STATUS={registry.StatusLine()}");
        }
    }
}
