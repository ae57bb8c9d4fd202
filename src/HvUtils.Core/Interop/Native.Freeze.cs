using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// linux/fs.h FIFREEZE/FITHAW (spec/vss.md §1.2, §5.3) and stat(2) fields the freeze planner
// and the hook checks need (device numbers, owner). Not in Tmds.LibC 0.5 (stack.md).
public static unsafe partial class Native
{
    /// <summary>_IOWR('X', 119, int).</summary>
    public const uint FIFREEZE = 0xC0045877;

    /// <summary>_IOWR('X', 120, int).</summary>
    public const uint FITHAW = 0xC0045878;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int ioctl_int(int fd, nuint request, nint arg);

    /// <summary>open(dir, O_RDONLY) + ioctl(FIFREEZE or FITHAW, 0) + close; returns 0 or -errno (spec/vss.md §5.3).</summary>
    public static int FreezeIoctl(string directory, uint request)
    {
        int fd = Open(directory, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
        {
            return fd;
        }
        int rc;
        while (true)
        {
            rc = ioctl_int(fd, request, 0);
            if (rc >= 0)
            {
                break;
            }
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR)
            {
                rc = -e;
                break;
            }
        }
        close(fd);
        return rc < 0 ? rc : 0;
    }

    /// <summary>stat(2) by path (follows symlinks); returns 0 or -errno.</summary>
    public static int StatPath(string path, out FileStatus status)
    {
        byte[] p = Utf8Z(path);
        stat st;
        fixed (byte* pp = p)
        {
            if (LibC.stat(pp, &st) != 0)
            {
                status = default;
                return -errno;
            }
        }
        status = new FileStatus((ulong)st.st_dev, (ulong)st.st_rdev, (uint)st.st_mode, (uint)st.st_uid);
        return 0;
    }

    /// <summary>glibc's gnu_dev_major.</summary>
    public static uint DevMajor(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));

    /// <summary>glibc's gnu_dev_minor.</summary>
    public static uint DevMinor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}

/// <summary>The stat(2) fields HvUtils uses: st_dev, st_rdev, st_mode, st_uid.</summary>
public readonly record struct FileStatus(ulong Device, ulong RawDevice, uint Mode, uint Uid);
