namespace HvUtils.Core.Interop;

// fcntl.h, sys/mman.h: FCOPY gathers fragments in a private anonymous mapping (returned to the
// system by munmap the moment a copy ends, unlike malloc'd memory past glibc's adaptive mmap
// threshold) and starts writeback of each finished stretch of a file with sync_file_range(2)
// while the rest is still arriving, so the fsync that COMPLETE owes (issue 6 point 1) finds
// little left.
public static unsafe partial class Native
{
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;

    /// <summary>Maps <paramref name="length"/> bytes of zeroed private memory (page-aligned); returns the address or -errno. Free with <see cref="Unmap"/>.</summary>
    public static nint MapAnonymous(long length)
    {
        nint p = mmap_(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == -1 ? -Marshal.GetLastSystemError() : p;
    }

    /// <summary>Start writeback of dirty pages in the range; does not wait for it (nor flush metadata).</summary>
    public const uint SYNC_FILE_RANGE_WRITE = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int sync_file_range_(int fd, long offset, long nbytes, uint flags);

    /// <summary>sync_file_range(2): 0 or -errno (EINTR retried).</summary>
    public static int SyncFileRange(int fd, long offset, long length, uint flags)
    {
        while (true)
        {
            if (sync_file_range_(fd, offset, length, flags) == 0)
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
}
