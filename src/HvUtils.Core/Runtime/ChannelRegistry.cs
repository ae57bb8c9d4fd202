namespace HvUtils.Core.Runtime;

/// <summary>The enabled channels' runners: the source for readiness, STATUS=, the watchdog and status queries.</summary>
public sealed class ChannelRegistry
{
    private readonly List<ChannelRunner> _runners = [];
    private readonly Lock _lock = new();

    /// <summary>Raised (on a channel thread) whenever a channel changes state.</summary>
    public event Action? StateChanged;

    public IReadOnlyList<ChannelRunner> Runners
    {
        get
        {
            lock (_lock)
            {
                return [.. _runners];
            }
        }
    }

    internal void Add(ChannelRunner runner)
    {
        lock (_lock)
        {
            _runners.Add(runner);
        }
    }

    public IEnumerable<ChannelStatus> Statuses() => Runners.Select(r => r.Status);

    internal void OnStateChanged() => StateChanged?.Invoke();

    /// <summary>True once every channel is registered or waiting (a channel backing off counts as waiting).</summary>
    public bool AllSettled => Runners.All(r => r.Status.State != ChannelState.Starting);

    /// <summary>True while every channel loop is alive (watchdog rule, see <see cref="ChannelRunner.IsAlive"/>).</summary>
    public bool AllAlive => Runners.All(r => r.IsAlive);

    /// <summary>One line for systemd's STATUS=: each channel's state and detail.</summary>
    public string StatusLine() => string.Join("; ", Runners.Select(r =>
    {
        ChannelStatus s = r.Status;
        return s.State == ChannelState.Registered ? $"{s.Channel}: registered" : $"{s.Channel}: {s.State.ToString().ToLowerInvariant()} ({s.Detail})";
    }));
}
