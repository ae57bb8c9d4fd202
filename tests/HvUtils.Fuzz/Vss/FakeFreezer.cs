using HvUtils.Core.Interop;
using HvUtils.Vss.Freezing;
using HvUtils.Vss.Planning;

namespace HvUtils.Fuzz.Vss;

/// <summary>
/// FIFREEZE/FITHAW in memory: nothing is ever frozen for real (common.md safety rule). Errors
/// are injected at random so the failure paths (EBUSY, EIO, a thaw that fails) run too.
/// Any path outside the fake mount table is an invariant violation.
/// </summary>
internal sealed class FakeFreezer(IReadOnlySet<string> mounts, Random rng) : IFreezeControl
{
    public HashSet<string> Frozen { get; } = [];

    public int ErrorPercent { get; set; } = 3;

    /// <summary>Set instead of thrown: the channel must not see the fuzzer's own exceptions.</summary>
    public string? Violation { get; set; }

    public int Freeze(string mountPoint)
    {
        Known(mountPoint);
        if (rng.Next(100) < ErrorPercent)
        {
            return rng.Next(2) == 0 ? -Errno.EIO : -Errno.EPERM; // EBUSY means "already frozen" to the kernel, so only real state produces it
        }
        return Frozen.Add(mountPoint) ? 0 : -Errno.EBUSY;
    }

    public int Thaw(string mountPoint)
    {
        Known(mountPoint);
        if (rng.Next(100) < ErrorPercent)
        {
            return -Errno.EIO;
        }
        return Frozen.Remove(mountPoint) ? 0 : -Errno.EINVAL;
    }

    private void Known(string mountPoint)
    {
        if (!mounts.Contains(mountPoint))
        {
            Violation ??= $"vss: the channel asked to freeze/thaw {mountPoint}, which is not in the fake mount table";
        }
    }
}

/// <summary>Every /dev/sdaN source resolves to a fixed device number; the sysfs tree is an empty sandbox directory (no loop devices).</summary>
internal sealed class FakeBlockDevices(string sysfs) : BlockDevices(sysfs)
{
    public override (uint Major, uint Minor)? DeviceOf(string source) =>
        source.StartsWith("/dev/sda", StringComparison.Ordinal) && uint.TryParse(source.AsSpan(8), out uint n) ? (254, n) : null;
}
