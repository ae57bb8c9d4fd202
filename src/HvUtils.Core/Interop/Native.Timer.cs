namespace HvUtils.Core.Interop;

// sys/timerfd.h (struct timespec/itimerspec as TimeSpec/ITimerSpec) — not in Tmds.LibC 0.5 (stack.md): a one-shot timer as a descriptor, so a
// deadline wakes a channel's epoll loop with no polling.
public static unsafe partial class Native
{
    public const int CLOCK_MONOTONIC = 1;
    public const int TFD_CLOEXEC = 0x80000;
    public const int TFD_NONBLOCK = 0x800;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long tv_sec;
        public long tv_nsec;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ITimerSpec
    {
        public TimeSpec it_interval;
        public TimeSpec it_value;
    }

    [LibraryImport("libc", EntryPoint = "timerfd_create", SetLastError = true)]
    private static partial int timerfd_create(int clockid, int flags);

    [LibraryImport("libc", EntryPoint = "timerfd_settime", SetLastError = true)]
    private static partial int timerfd_settime(int fd, int flags, ITimerSpec* newValue, ITimerSpec* oldValue);

    public static int TimerFdCreate(int clockId, int flags)
    {
        int fd = timerfd_create(clockId, flags);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Arms a one-shot relative timer (<paramref name="after"/> ≤ 0 disarms it); returns 0 or -errno.</summary>
    public static int TimerFdSetOneShot(int fd, TimeSpan after)
    {
        ITimerSpec spec = default;
        if (after > TimeSpan.Zero)
        {
            long ticks = Math.Max(after.Ticks, 1);
            spec.it_value.tv_sec = ticks / TimeSpan.TicksPerSecond;
            spec.it_value.tv_nsec = ticks % TimeSpan.TicksPerSecond * 100;
        }
        return timerfd_settime(fd, 0, &spec, null) == 0 ? 0 : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Reads the expiration count (clears readiness); returns the count, or -errno (-EAGAIN when not expired).</summary>
    public static long TimerFdRead(int fd)
    {
        ulong count;
        long n = Read(fd, new Span<byte>(&count, sizeof(ulong)));
        return n == sizeof(ulong) ? (long)count : n < 0 ? n : -Errno.EIO;
    }
}
