using System.Diagnostics;
using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Pools;

/// <summary>
/// Both locks other pool writers use (issue 3 point 2, spec/kvp.md §5.3): a whole-file
/// OFD <c>fcntl</c> lock (the C daemon, azure-init) and <c>flock</c> (cloud-init, older
/// azure-init) — they do not exclude each other, so HvUtils takes both, always in this
/// order. Neither has a timed wait, so each is tried non-blocking with a short back-off
/// until the deadline: a stuck writer costs one failed request, never a hung daemon.
/// </summary>
internal static class PoolLock
{
    /// <summary>Takes both locks; 0, -ETIMEDOUT when another holder kept them past <paramref name="timeout"/>, or -errno.</summary>
    public static int Acquire(int fd, bool exclusive, TimeSpan timeout, out long waitedTicks)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        int spins = 0;
        int rc;
        while ((rc = Native.OfdLockWholeFile(fd, exclusive ? Native.F_WRLCK : Native.F_RDLCK)) != 0)
        {
            if ((rc != -Errno.EAGAIN && rc != -Errno.EACCES) || !Pause(deadline, ref spins))
            {
                waitedTicks = Stopwatch.GetTimestamp() - start;
                return rc == -Errno.EAGAIN || rc == -Errno.EACCES ? -Errno.ETIMEDOUT : rc;
            }
        }
        int op = (exclusive ? Native.LOCK_EX : Native.LOCK_SH) | Native.LOCK_NB;
        while ((rc = Native.Flock(fd, op)) != 0)
        {
            if (rc != -Errno.EAGAIN || !Pause(deadline, ref spins))
            {
                Native.OfdLockWholeFile(fd, Native.F_UNLCK);
                waitedTicks = Stopwatch.GetTimestamp() - start;
                return rc == -Errno.EAGAIN ? -Errno.ETIMEDOUT : rc;
            }
        }
        waitedTicks = Stopwatch.GetTimestamp() - start;
        return 0;
    }

    public static void Release(int fd)
    {
        Native.Flock(fd, Native.LOCK_UN);
        Native.OfdLockWholeFile(fd, Native.F_UNLCK);
    }

    /// <summary>Yields a few times, then sleeps 1 ms; false once the deadline has passed.</summary>
    private static bool Pause(long deadline, ref int spins)
    {
        if (Stopwatch.GetTimestamp() >= deadline)
        {
            return false;
        }
        if (++spins < 16)
        {
            Thread.Yield();
        }
        else
        {
            Thread.Sleep(1);
        }
        return true;
    }
}
