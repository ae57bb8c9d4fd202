using HvUtils.Core.Interop;

namespace HvUtils.Vss.Freezing;

/// <summary>
/// Thaws every path a freeze marker lists — at daemon start-up (a predecessor died frozen,
/// spec/vss.md §8 "not handled upstream") and for <c>hvutils vss thaw</c>. EINVAL (not frozen)
/// and a vanished mount count as thawed. The marker is truncated only when all are thawed.
/// </summary>
public static class FreezeRecovery
{
    /// <summary>Thaws the listed paths (last frozen first); reports one line per path; returns how many failed.</summary>
    public static int ThawListed(IFreezeControl control, FreezeMarker marker, Action<string> report)
    {
        IReadOnlyList<string> listed = marker.Read();
        int failed = 0;
        for (int i = listed.Count - 1; i >= 0; i--)
        {
            string mount = listed[i];
            int rc = control.Thaw(mount);
            switch (-rc)
            {
                case 0:
                    report($"thawed {mount}");
                    break;
                case Errno.EINVAL:
                    report($"{mount} was not frozen");
                    break;
                case Errno.ENOENT or Errno.ENOTDIR:
                    report($"{mount} no longer exists");
                    break;
                default:
                    failed++;
                    report($"FITHAW of {mount} failed: {Errno.Describe(-rc)}");
                    break;
            }
        }
        if (failed == 0 && listed.Count > 0)
        {
            marker.Clear();
        }
        return failed;
    }
}
