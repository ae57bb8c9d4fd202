using HvUtils.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace HvUtils.Telemetry;

/// <summary>
/// The Prometheus text endpoint (<c>http://Host:Port/metrics</c>). The managed HttpListener
/// can throw when a client connects at the instant it starts, or the port may be taken
/// (stack.md): a failed start is logged and retried with back-off, then the endpoint is
/// disabled — the channels never depend on it. Idle cost: one blocked accept, no timers.
/// </summary>
internal sealed class PrometheusEndpoint(IOptions<TelemetryOptions> options, ILogger<PrometheusEndpoint> logger) : IHostedService, IDisposable
{
    /// <summary>Delays before each further attempt after a failed start.</summary>
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        PrometheusOptions o = options.Value.Prometheus;
        if (!o.Enabled)
        {
            logger.LogInformation("Prometheus endpoint disabled (Telemetry:Prometheus:Enabled=false)");
            return Task.CompletedTask;
        }
        if (!TryStart(o, attempt: 0))
        {
            _ = RetryAsync(o);
        }
        return Task.CompletedTask;
    }

    private async Task RetryAsync(PrometheusOptions o)
    {
        for (int i = 0; i < RetryDelays.Length; i++)
        {
            try
            {
                await Task.Delay(RetryDelays[i], _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (TryStart(o, i + 1))
            {
                return;
            }
        }
        logger.LogError("Prometheus endpoint on {Host}:{Port} disabled after {Attempts} failed starts; the daemon keeps running (restart to try again)",
            o.Host, o.Port, RetryDelays.Length + 1);
    }

    private bool TryStart(PrometheusOptions o, int attempt)
    {
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return true;
            }
            try
            {
                _provider = MeterProviders.Build(MeterProviders.Create()
                    .AddPrometheusHttpListener(l =>
                    {
                        l.Host = o.Host;
                        l.Port = o.Port;
                        l.ScrapeEndpointPath = "/metrics";
                        l.ScrapeResponseCacheDurationMilliseconds = (int)o.ScrapeCacheDuration.TotalMilliseconds;
                    }), logger);
                logger.LogInformation("Prometheus endpoint listening on http://{Host}:{Port}/metrics", o.Host, o.Port);
                return true;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Prometheus endpoint on {Host}:{Port} could not start (attempt {Attempt}): {Error}",
                    o.Host, o.Port, attempt + 1, ex.InnerException?.Message ?? ex.Message);
                return false;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        lock (_lock)
        {
            _provider?.Dispose();
            _provider = null;
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _provider?.Dispose();
        _stop.Dispose();
    }
}
