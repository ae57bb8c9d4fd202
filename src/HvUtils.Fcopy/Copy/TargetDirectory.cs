using HvUtils.Core.Interop;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// Opens the destination directory beneath its allowed root, one component at a time with
/// <c>openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS)</c>, so no symlink and no <c>..</c> can
/// lead outside it; with CREATE_PATH every missing component is created, the last one
/// included (spec/fcopy.md §0.5: both C daemons miss the last one).
/// </summary>
public static class TargetDirectory
{
    private const ulong Resolve = Native.RESOLVE_BENEATH | Native.RESOLVE_NO_SYMLINKS | Native.RESOLVE_NO_MAGICLINKS;

    /// <summary>Returns an O_RDONLY directory fd, or -errno.</summary>
    public static int Open(string root, string[] components, int covered, bool createPath)
    {
        int cur = Native.Open(root, Native.O_PATH | Native.O_DIRECTORY | Native.O_CLOEXEC);
        if (cur < 0)
        {
            return cur;
        }
        for (int i = covered; i < components.Length; i++)
        {
            byte[] name = Native.Utf8Z(components[i]);
            int next = OpenBeneath(cur, name, Native.O_PATH | Native.O_DIRECTORY | Native.O_CLOEXEC);
            if (next == -Errno.ENOENT && createPath)
            {
                int rc = Native.MkdirAt(cur, name, 0x1ED /* 0755 */);
                next = rc is 0 or -Errno.EEXIST ? OpenBeneath(cur, name, Native.O_PATH | Native.O_DIRECTORY | Native.O_CLOEXEC) : rc;
            }
            Native.Close(cur);
            if (next < 0)
            {
                return next;
            }
            cur = next;
        }
        // Re-open the final directory readable so it can be fsync'ed after the link.
        int dir = OpenBeneath(cur, ".\0"u8, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        Native.Close(cur);
        return dir;
    }

    /// <summary>openat2 beneath <paramref name="dirfd"/>; before Linux 5.6 (ENOSYS) a single validated component opened O_NOFOLLOW gives the same guarantee.</summary>
    public static int OpenBeneath(int dirfd, ReadOnlySpan<byte> nameZ, int flags, int mode = 0)
    {
        int fd = Native.OpenAt2(dirfd, nameZ, flags, mode, Resolve);
        return fd == -Errno.ENOSYS ? Native.OpenAt(dirfd, nameZ, flags | Native.O_NOFOLLOW, mode) : fd;
    }

    /// <summary>True when <paramref name="nameZ"/> exists in the directory (a symlink counts, and is never followed).</summary>
    public static bool Exists(int dirfd, ReadOnlySpan<byte> nameZ)
    {
        int fd = Native.OpenAt(dirfd, nameZ, Native.O_PATH | Native.O_NOFOLLOW | Native.O_CLOEXEC);
        if (fd >= 0)
        {
            Native.Close(fd);
            return true;
        }
        return fd != -Errno.ENOENT;
    }
}
