namespace HvUtils.Core.Interop;

// unistd.h, fcntl.h (OFD record locks), sys/file.h (flock), sys/stat.h (statx, futimens):
// the calls the KVP pool files need. Tmds.LibC 0.5 lacks flock and statx (stack.md).
public static unsafe partial class Native
{
    public const int F_OFD_GETLK = 36;
    public const int F_OFD_SETLK = 37;
    public const int F_OFD_SETLKW = 38;
    public const short F_RDLCK = 0;
    public const short F_WRLCK = 1;
    public const short F_UNLCK = 2;
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
    private const int AT_FDCWD = -100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const long UTIME_OMIT = (1L << 30) - 2;

    /// <summary>struct flock on the 64-bit ABIs (x86-64, arm64): 32 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct FlockRecord
    {
        [FieldOffset(0)] public short l_type;
        [FieldOffset(2)] public short l_whence;
        [FieldOffset(8)] public long l_start;
        [FieldOffset(16)] public long l_len;
        [FieldOffset(24)] public int l_pid;
    }

    /// <summary>The identity and change stamp of a file (statx: inode, size, mtime in ns).</summary>
    public readonly record struct FileStamp(ulong Device, ulong Inode, long Size, long MtimeNs);

    [LibraryImport("libc", EntryPoint = "pread64", SetLastError = true)]
    private static partial nint pread64(int fd, byte* buf, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite64", SetLastError = true)]
    private static partial nint pwrite64(int fd, byte* buf, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate64", SetLastError = true)]
    private static partial int ftruncate64(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl_lock(int fd, int cmd, FlockRecord* lk);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buf);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int futimens(int fd, long* times);

    /// <summary>pread until <paramref name="buffer"/> is full or end of file; returns bytes read or -errno.</summary>
    public static long PRead(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            return Transfer(fd, p, buffer.Length, offset, write: false);
        }
    }

    /// <summary>pwrite all of <paramref name="buffer"/>; returns bytes written or -errno.</summary>
    public static long PWrite(int fd, ReadOnlySpan<byte> buffer, long offset)
    {
        fixed (byte* p = buffer)
        {
            return Transfer(fd, p, buffer.Length, offset, write: true);
        }
    }

    /// <summary>Repeats pread/pwrite over short transfers and EINTR; a read stops at end of file.</summary>
    private static long Transfer(int fd, byte* p, int length, long offset, bool write)
    {
        long total = 0;
        while (total < length)
        {
            nint n = write
                ? pwrite64(fd, p + total, (nuint)(length - total), offset + total)
                : pread64(fd, p + total, (nuint)(length - total), offset + total);
            if (n == 0 && !write)
            {
                break;
            }
            if (n < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR)
                {
                    continue;
                }
                return -e;
            }
            total += n;
        }
        return total;
    }

    public static int FTruncate(int fd, long length)
    {
        int rc;
        while ((rc = ftruncate64(fd, length)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return PInvokeResult(rc);
    }

    /// <summary>Non-blocking whole-file OFD lock (F_OFD_SETLK, start 0, length 0): 0, or -EAGAIN/-EACCES when held elsewhere.</summary>
    public static int OfdLockWholeFile(int fd, short type)
    {
        FlockRecord lk = default;
        lk.l_type = type;
        lk.l_whence = 0;
        lk.l_start = 0;
        lk.l_len = 0;
        int rc;
        while ((rc = fcntl_lock(fd, F_OFD_SETLK, &lk)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return PInvokeResult(rc);
    }

    /// <summary>flock(2) with the given LOCK_* operation.</summary>
    public static int Flock(int fd, int operation)
    {
        int rc;
        while ((rc = flock(fd, operation)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return PInvokeResult(rc);
    }

    /// <summary>statx of an open descriptor.</summary>
    public static int FStamp(int fd, out FileStamp stamp)
    {
        byte* empty = stackalloc byte[1];
        empty[0] = 0;
        return Statx(fd, empty, AT_EMPTY_PATH, out stamp);
    }

    /// <summary>statx of a path (follows symlinks).</summary>
    public static int PathStamp(ReadOnlySpan<byte> pathZ, out FileStamp stamp)
    {
        fixed (byte* p = pathZ)
        {
            return Statx(AT_FDCWD, p, 0, out stamp);
        }
    }

    private static int Statx(int dirfd, byte* path, int flags, out FileStamp stamp)
    {
        byte* buf = stackalloc byte[256];
        int rc;
        while ((rc = statx(dirfd, path, flags, STATX_BASIC_STATS, buf)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        if (rc < 0)
        {
            stamp = default;
            return PInvokeResult(rc);
        }
        ulong dev = ((ulong)*(uint*)(buf + 136) << 32) | *(uint*)(buf + 140);
        stamp = new FileStamp(dev, *(ulong*)(buf + 32), *(long*)(buf + 40),
            (*(long*)(buf + 112) * 1_000_000_000L) + *(uint*)(buf + 120));
        return 0;
    }

    /// <summary>Sets the modification time (ns since the epoch), leaving the access time.</summary>
    public static int SetModificationTime(int fd, long mtimeNs)
    {
        long* times = stackalloc long[4];
        times[0] = 0;
        times[1] = UTIME_OMIT;
        times[2] = mtimeNs / 1_000_000_000L;
        times[3] = mtimeNs % 1_000_000_000L;
        int rc = futimens(fd, times);
        return PInvokeResult(rc);
    }

    /// <summary>The call's result, or -errno read straight after it.</summary>
    private static int PInvokeResult(int rc) => rc >= 0 ? rc : -Marshal.GetLastPInvokeError();
}
