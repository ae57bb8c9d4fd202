namespace HvUtils.Core.Interop;

// fcntl.h, unistd.h, stdio.h, linux/openat2.h: the *at family FCOPY uses to write files
// confined beneath a directory fd and to make them appear atomically (spec/fcopy.md §0.5).
// Declared with LibraryImport: openat2 and renameat2 have no libc wrapper on older glibc,
// and one import style keeps the retry/-errno convention uniform.
public static unsafe partial class Native
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_SYMLINK_FOLLOW = 0x400;
    public const int AT_EMPTY_PATH = 0x1000;

    public const ulong RESOLVE_NO_XDEV = 0x01;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;

    public const uint RENAME_NOREPLACE = 0x1;

    private const long SYS_openat2 = 437;
    private const long SYS_renameat2 = 316;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall4(long number, long a1, long a2, long a3, long a4);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall5(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int openat_(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    private static partial int mkdirat_(int dirfd, byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static partial int linkat_(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int unlinkat_(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync_(int fd);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint pwrite_(int fd, byte* buf, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int fchmod_(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int fchown_(int fd, uint uid, uint gid);


    private static int Errno_() => Marshal.GetLastSystemError();

    /// <summary>openat2(2) with <c>struct open_how</c>; -ENOSYS on kernels before 5.6.</summary>
    public static int OpenAt2(int dirfd, ReadOnlySpan<byte> pathZ, int flags, int mode, ulong resolve)
    {
        OpenHow how = new() { Flags = (ulong)(uint)flags, Mode = (ulong)(uint)mode, Resolve = resolve };
        fixed (byte* p = pathZ)
        {
            while (true)
            {
                long fd = Syscall4(SYS_openat2, dirfd, (long)p, (long)&how, sizeof(OpenHow));
                if (fd >= 0)
                {
                    return (int)fd;
                }
                int e = Errno_();
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static int OpenAt(int dirfd, ReadOnlySpan<byte> pathZ, int flags, int mode = 0)
    {
        fixed (byte* p = pathZ)
        {
            while (true)
            {
                int fd = openat_(dirfd, p, flags, (uint)mode);
                if (fd >= 0)
                {
                    return fd;
                }
                int e = Errno_();
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static int MkdirAt(int dirfd, ReadOnlySpan<byte> nameZ, int mode)
    {
        fixed (byte* p = nameZ)
        {
            return mkdirat_(dirfd, p, (uint)mode) == 0 ? 0 : -Errno_();
        }
    }

    public static int LinkAt(int olddirfd, ReadOnlySpan<byte> oldZ, int newdirfd, ReadOnlySpan<byte> newZ, int flags)
    {
        fixed (byte* o = oldZ)
        fixed (byte* n = newZ)
        {
            return linkat_(olddirfd, o, newdirfd, n, flags) == 0 ? 0 : -Errno_();
        }
    }

    /// <summary>renameat2(2); RENAME_NOREPLACE fails with EEXIST instead of replacing.</summary>
    public static int RenameAt2(int olddirfd, ReadOnlySpan<byte> oldZ, int newdirfd, ReadOnlySpan<byte> newZ, uint flags)
    {
        fixed (byte* o = oldZ)
        fixed (byte* n = newZ)
        {
            return Syscall5(SYS_renameat2, olddirfd, (long)o, newdirfd, (long)n, flags) == 0 ? 0 : -Errno_();
        }
    }

    public static int UnlinkAt(int dirfd, ReadOnlySpan<byte> nameZ, int flags)
    {
        fixed (byte* p = nameZ)
        {
            return unlinkat_(dirfd, p, flags) == 0 ? 0 : -Errno_();
        }
    }

    public static int Fsync(int fd)
    {
        while (true)
        {
            if (fsync_(fd) == 0)
            {
                return 0;
            }
            int e = Errno_();
            if (e != Errno.EINTR)
            {
                return -e;
            }
        }
    }

    /// <summary>pwrite(2): bytes written (may be short), or -errno.</summary>
    public static long PWrite(int fd, ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = pwrite_(fd, p, data.Length, offset);
                if (n >= 0)
                {
                    return n;
                }
                int e = Errno_();
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static int FChmod(int fd, int mode) => fchmod_(fd, (uint)mode) == 0 ? 0 : -Errno_();

    /// <summary>fchown(2); uint.MaxValue leaves that id unchanged.</summary>
    public static int FChown(int fd, uint uid, uint gid) => fchown_(fd, uid, gid) == 0 ? 0 : -Errno_();

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static partial nint realpath_(byte* path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void free_(nint p);

    /// <summary>realpath(3): the canonical absolute path with every symlink resolved, or null (configuration load only).</summary>
    public static string? RealPath(string path)
    {
        byte[] z = Utf8Z(path);
        fixed (byte* p = z)
        {
            nint r = realpath_(p, 0);
            if (r == 0)
            {
                return null;
            }
            try
            {
                return Marshal.PtrToStringUTF8(r);
            }
            finally
            {
                free_(r);
            }
        }
    }
}
