using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// sys/epoll.h and sys/eventfd.h
public static unsafe partial class Native
{
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLPRI = 0x002;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    public static int EpollCreate() => Result(epoll_create1(EPOLL_CLOEXEC));

    /// <summary>Adds or modifies <paramref name="fd"/>, tagging its events with <paramref name="token"/>.</summary>
    public static int EpollCtl(int epfd, int op, int fd, uint events, int token)
    {
        epoll_event ev = default;
        ev.events = (int)events;
        ev.data.fd = token;
        return epoll_ctl(epfd, op, fd, &ev) == 0 ? 0 : -errno;
    }

    /// <summary>Waits for one event; returns 1 with its token and events, 0 on timeout, or -errno.</summary>
    public static int EpollWaitOne(int epfd, int timeoutMs, out int token, out uint events)
    {
        epoll_event ev = default;
        int n = epoll_wait(epfd, &ev, 1, timeoutMs);
        if (n < 0)
        {
            token = 0;
            events = 0;
            return -errno;
        }
        token = n == 1 ? ev.data.fd : 0;
        events = n == 1 ? (uint)ev.events : 0;
        return n;
    }

    public static int EventFd(uint initial, int flags) => Result(eventfd(initial, flags));

    /// <summary>Adds one to an eventfd counter (wakes its waiters).</summary>
    public static int EventFdSignal(int fd)
    {
        ulong one = 1;
        return write(fd, &one, sizeof(ulong)) == sizeof(ulong) ? 0 : -errno;
    }

    /// <summary>Reads and clears an eventfd counter.</summary>
    public static int EventFdDrain(int fd)
    {
        ulong value;
        return read(fd, &value, sizeof(ulong)) == sizeof(ulong) ? 0 : -errno;
    }

    private static int Result(int rc) => rc >= 0 ? rc : -errno;
}
