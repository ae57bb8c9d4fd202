using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// fcntl.h posix_fadvise and sync_file_range: page-cache hints for the KVP pool files, whose
// in-place record writes cost as much as the page-cache folio they land in (KvpPoolFile.Load.cs).
// Tmds.LibC 0.5 has the constants but not the calls.
public static partial class Native
{
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
    public static int WriteBackAndWait(int fd)
    {
        int rc;
        while ((rc = sync_file_range(fd, 0, 0, (uint)(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))) < 0
            && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return PInvokeResult(rc);
    }
}
