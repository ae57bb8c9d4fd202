using HvUtils.Core.Interop;

namespace HvUtils.Core.Runtime;

/// <summary>An epoll instance; each registered descriptor is tagged with a small integer token.</summary>
internal sealed class EpollSet : IDisposable
{
    private readonly int _epfd;

    public EpollSet()
    {
        _epfd = Native.EpollCreate();
        if (_epfd < 0)
        {
            throw new IOException($"epoll_create1 failed: {Errno.Describe(-_epfd)}");
        }
    }

    public void Add(int fd, uint events, int token)
    {
        int rc = Native.EpollCtl(_epfd, Native.EPOLL_CTL_ADD, fd, events, token);
        if (rc < 0)
        {
            throw new IOException($"epoll_ctl(ADD, {fd}) failed: {Errno.Describe(-rc)}");
        }
    }

    public void Remove(int fd) => Native.EpollCtl(_epfd, Native.EPOLL_CTL_DEL, fd, 0, 0);

    /// <summary>Blocks for one event (timeout -1 = forever); false on timeout.</summary>
    public bool Wait(int timeoutMs, out int token, out uint events)
    {
        while (true)
        {
            int n = Native.EpollWaitOne(_epfd, timeoutMs, out token, out events);
            if (n >= 0)
            {
                return n == 1;
            }
            if (n != -Errno.EINTR)
            {
                throw new IOException($"epoll_wait failed: {Errno.Describe(-n)}");
            }
        }
    }

    public void Dispose() => Native.Close(_epfd);
}
