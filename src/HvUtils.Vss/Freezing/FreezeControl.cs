using HvUtils.Core.Interop;

namespace HvUtils.Vss.Freezing;

/// <summary>FIFREEZE/FITHAW on a mount point; returns 0 or -errno. Tests substitute a fake to inject errors.</summary>
public interface IFreezeControl
{
    int Freeze(string mountPoint);

    int Thaw(string mountPoint);
}

/// <summary>The kernel's freeze ioctls (spec/vss.md §5.3).</summary>
public sealed class KernelFreezeControl : IFreezeControl
{
    public static readonly KernelFreezeControl Instance = new();

    public int Freeze(string mountPoint) => Native.FreezeIoctl(mountPoint, Native.FIFREEZE);

    public int Thaw(string mountPoint) => Native.FreezeIoctl(mountPoint, Native.FITHAW);
}
