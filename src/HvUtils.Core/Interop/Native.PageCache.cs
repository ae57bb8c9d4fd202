using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// fcntl.h posix_fadvise and sync_file_range: page-cache hints for the KVP pool files, whose
// in-place record writes cost as much as the page-cache folio they land in (KvpPoolFile.Load.cs),
// and FCOPY's early writeback of each finished stretch of a file while the rest is still
// arriving, so the fsync COMPLETE owes (issue 6 point 1) finds little left (CoalescingWriter.cs).
// Tmds.LibC 0.5 lacks the calls (the flags are declared here as the unsigned type the call takes).
public static partial class Native
{
    public const uint SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    public const uint SYNC_FILE_RANGE_WRITE = 2;
    public const uint SYNC_FILE_RANGE_WAIT_AFTER = 4;

    [LibraryImport("libc", EntryPoint = "posix_fadvise64")]
    private static partial int posix_fadvise64(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int sync_file_range(int fd, long offset, long nbytes, uint flags);

    /// <summary>posix_fadvise over the whole file; 0 or -errno (the call returns the error number itself).</summary>
    public static int FAdvise(int fd, int advice)
    {
        int rc;
        while ((rc = posix_fadvise64(fd, 0, 0, advice)) == Errno.EINTR)
        {
        }
        return -rc;
    }

    /// <summary>No read-ahead on this open file: a cache miss reads just the pages asked for, in base-page folios.</summary>
    public static int AdviseRandomAccess(int fd) => FAdvise(fd, POSIX_FADV_RANDOM);

    /// <summary>Drops the file's clean, unmapped cached pages (a hint: the data stays in the file).</summary>
    public static int AdviseDropCache(int fd) => FAdvise(fd, POSIX_FADV_DONTNEED);

    /// <summary>Starts writeback of the whole file's dirty pages and waits for it (data only: no journal commit, no cache flush); 0 or -errno.</summary>
    public static int WriteBackAndWait(int fd) =>
        SyncFileRange(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);

    /// <summary>sync_file_range(2) (<c>SYNC_FILE_RANGE_WRITE</c> alone starts writeback without waiting); 0 or -errno, EINTR retried.</summary>
    public static int SyncFileRange(int fd, long offset, long length, uint flags)
    {
        int rc;
        while ((rc = sync_file_range(fd, offset, length, flags)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return PInvokeResult(rc);
    }
}
