using HvUtils.Core.Interop;
using HvUtils.Vss.Planning;
using Microsoft.Extensions.Logging;

namespace HvUtils.Vss.Freezing;

/// <summary>The result of freezing one plan: success, or the mount that failed and its errno.</summary>
public readonly record struct FreezeOutcome(bool Succeeded, string? FailedMount, int Errno, string Detail);

/// <summary>
/// Freezes a plan in order (root last) and thaws what it froze (spec/vss.md §5.3–5.5). It
/// remembers exactly which mounts it froze; on the first freeze failure it thaws all of them.
/// Each path goes into the <see cref="FreezeMarker"/> before its FIFREEZE. Callers hold logs
/// while anything is frozen: the logger given here must be the buffering one.
/// </summary>
public sealed class Freezer(IFreezeControl control, FreezeMarker marker, AlreadyFrozenPolicy alreadyFrozen, ILogger logger)
{
    private readonly List<string> _frozen = [];

    /// <summary>Mounts frozen by us and not yet thawed, in freeze order.</summary>
    public IReadOnlyList<string> Frozen => _frozen;

    public bool AnyFrozen => _frozen.Count > 0;

    public FreezeOutcome FreezeAll(FreezePlan plan)
    {
        foreach (FreezeTarget target in plan.Targets)
        {
            int rc = marker.Append(target.MountPoint);
            if (rc < 0)
            {
                return FailAndThaw(target.MountPoint, -rc, $"cannot record {target.MountPoint} in {marker.Path}: {Errno.Describe(-rc)}");
            }
            rc = control.Freeze(target.MountPoint);
            if (rc == 0)
            {
                _frozen.Add(target.MountPoint);
                logger.LogDebug("froze {MountPoint} ({FsType} on {Source})", target.MountPoint, target.FsType, target.Source);
                continue;
            }
            if (rc == -Errno.EBUSY && alreadyFrozen != AlreadyFrozenPolicy.Fail)
            {
                AcceptAlreadyFrozen(target.MountPoint);
                continue;
            }
            return FailAndThaw(target.MountPoint, -rc, $"FIFREEZE of {target.MountPoint} failed: {Errno.Describe(-rc)}");
        }
        return new FreezeOutcome(true, null, 0, $"froze {_frozen.Count} filesystem(s)");
    }

    /// <summary>
    /// Thaws everything we froze, in reverse order; EINVAL (not frozen) counts as thawed
    /// (spec/vss.md §5.3). Mounts that fail stay listed for a retry; the marker is truncated
    /// only when none is left.
    /// </summary>
    public IReadOnlyList<(string MountPoint, int Errno)> ThawAll()
    {
        var failures = new List<(string, int)>();
        for (int i = _frozen.Count - 1; i >= 0; i--)
        {
            string mount = _frozen[i];
            int rc = control.Thaw(mount);
            if (rc == 0 || rc == -Errno.EINVAL)
            {
                _frozen.RemoveAt(i);
                logger.LogDebug("thawed {MountPoint}{Note}", mount, rc == 0 ? "" : " (it was not frozen)");
            }
            else
            {
                failures.Add((mount, -rc));
                logger.LogError("FITHAW of {MountPoint} failed: {Error}", mount, Errno.Describe(-rc));
            }
        }
        if (_frozen.Count == 0)
        {
            marker.Clear();
        }
        return failures;
    }

    private void AcceptAlreadyFrozen(string mountPoint)
    {
        if (alreadyFrozen == AlreadyFrozenPolicy.Adopt)
        {
            // The C daemon's rule: EBUSY counts as frozen, and THAW thaws it.
            _frozen.Add(mountPoint);
            logger.LogWarning("{MountPoint} was already frozen by someone else; adopted (Vss:AlreadyFrozen=Adopt): THAW will thaw it", mountPoint);
            return;
        }
        marker.Rewrite(_frozen);
        logger.LogWarning("{MountPoint} was already frozen by someone else; left to its owner (Vss:AlreadyFrozen=Leave)", mountPoint);
    }

    private FreezeOutcome FailAndThaw(string mountPoint, int errno, string detail)
    {
        logger.LogError("{Detail}; thawing the {Count} filesystem(s) already frozen", detail, _frozen.Count);
        ThawAll();
        return new FreezeOutcome(false, mountPoint, errno, detail);
    }
}
