using System.Diagnostics;
using HvUtils.Core.Interop;
using HvUtils.Vss.Hooks;
using HvUtils.Vss.Planning;
using Microsoft.Extensions.Logging;

namespace HvUtils.Vss;

// A freeze always ends (the point 5): complete thaws, the deadline, failed-thaw retries.
public sealed partial class VssChannel
{
    private static readonly TimeSpan FirstThawRetry = TimeSpan.FromMilliseconds(100);

    private volatile bool _thawPending;
    private TimeSpan _thawRetryDelay = FirstThawRetry;

    /// <summary>Thaws everything we froze; on success releases the held logs and runs the thaw hooks. <paramref name="ended"/> tags the metric.</summary>
    private bool ThawNow(string ended)
    {
        IReadOnlyList<(string MountPoint, int Errno)> failures = _freezer.ThawAll();
        PublishFrozen();
        if (failures.Count > 0)
        {
            EnterThawRetry();
            return false;
        }
        _timer.Disarm();
        _thawPending = false;
        _thawRetryDelay = FirstThawRetry;
        TimeSpan frozenFor = Stopwatch.GetElapsedTime(_frozenSince);
        _log.Release();
        _log.LogInformation("VSS: op=THAW ({Ended}): succeeded: thawed {Mounts} after {Seconds:0.###} s frozen", ended, string.Join(", ", _frozenMounts), frozenFor.TotalSeconds);
        _metrics?.RecordFrozenFor(frozenFor, ended);
        RunHooksReversed(_hooks.List(), FreezeHooks.Thaw, _frozenMounts);
        return true;
    }

    private void ThawIfFrozen(string ended)
    {
        if (_freezer.AnyFrozen)
        {
            _log.LogWarning("thawing {Count} filesystem(s): {Why}", _freezer.Frozen.Count, ended == "shutdown" ? "shutting down" : "the device connection closed");
            ThawNow(ended);
        }
    }

    /// <summary>
    /// A thaw failed. The C daemon exits here (spec/vss.md §8); HvUtils stays up so the other
    /// channels keep serving, says so loudly, retries with back-off and refuses FREEZE meanwhile.
    /// </summary>
    private void EnterThawRetry()
    {
        _thawPending = true;
        // Loud now, even though something is still frozen: staying silent is worse than a log line that may wait.
        _log.Release();
        _log.LogCritical("{Count} filesystem(s) are still frozen ({Mounts}); retrying the thaw in {Delay} ms; FREEZE is refused until it succeeds",
            _freezer.Frozen.Count, string.Join(", ", _freezer.Frozen), _thawRetryDelay.TotalMilliseconds);
        _timer.Arm(_thawRetryDelay);
        _thawRetryDelay = TimeSpan.FromTicks(Math.Min(_thawRetryDelay.Ticks * 2, _options.ThawRetryMaxInterval.Ticks));
    }

    /// <summary>The timerfd fired: a failed thaw's retry, or the freeze deadline.</summary>
    private void OnTimer()
    {
        if (!_timer.Acknowledge())
        {
            return;
        }
        if (_thawPending)
        {
            ThawNow("retry");
            return;
        }
        if (_freezer.AnyFrozen)
        {
            _log.LogWarning("no THAW within the freeze deadline of {Deadline}: thawing {Count} filesystem(s) now", _options.FreezeDeadline, _freezer.Frozen.Count);
            _autoThawed = true;
            ThawNow("deadline");
        }
    }

    /// <summary>
    /// The freeze marker is written before each FIFREEZE; if it lived on a filesystem frozen
    /// earlier in the plan, the next append would block with nothing left to thaw it.
    /// </summary>
    private string? RuntimeDirectoryConflict(FreezePlan plan)
    {
        string dir = _marker.Directory;
        while (!Directory.Exists(dir) && Path.GetDirectoryName(dir) is { } parent)
        {
            dir = parent;
        }
        if (Native.StatPath(dir, out FileStatus st) != 0)
        {
            return null;
        }
        string device = $"{Native.DevMajor(st.Device)}:{Native.DevMinor(st.Device)}";
        int index = plan.Targets.ToList().FindIndex(t => t.DeviceNumber == device);
        return index >= 0 && index < plan.Targets.Count - 1
            ? $"the runtime directory {_marker.Directory} (freeze marker) is on {plan.Targets[index].MountPoint}, which would be frozen before others; set Runtime:Directory to a tmpfs such as /run/hvutils"
            : null;
    }
}
