using HvUtils.Core.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Hosting;

/// <summary>
/// WATCHDOG=1 at half of <c>$WATCHDOG_USEC</c>, only while every channel loop is alive
/// (<see cref="ChannelRunner.IsAlive"/>). Without the variable there is no timer at all.
/// </summary>
public sealed class WatchdogService(ChannelRegistry registry, SystemdNotifier notifier, ILogger<WatchdogService> logger) : BackgroundService
{
    /// <summary>The keep-alive interval systemd asked for, halved; null when no watchdog is configured for this process.</summary>
    public static TimeSpan? IntervalFromEnvironment()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!ulong.TryParse(usec, out ulong us) || us == 0)
        {
            return null;
        }
        if (pid is not null && (!int.TryParse(pid, out int p) || p != Environment.ProcessId))
        {
            return null;
        }
        return TimeSpan.FromTicks((long)(us * 10 / 2));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (IntervalFromEnvironment() is not { } interval || !notifier.IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval);
        bool reportedDead = false;
        do
        {
            if (registry.AllAlive)
            {
                notifier.Notify("WATCHDOG=1");
                reportedDead = false;
            }
            else if (!reportedDead)
            {
                reportedDead = true;
                logger.LogCritical("a channel loop is not alive; withholding WATCHDOG=1 so the service manager restarts us: {Status}", registry.StatusLine());
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
