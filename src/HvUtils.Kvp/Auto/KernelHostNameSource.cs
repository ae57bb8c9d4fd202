using System.Net;
using System.Net.Sockets;
using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Auto;

/// <summary>
/// The host name from <c>/proc/sys/kernel/hostname</c>, resolved like the C daemon
/// (getaddrinfo with AI_CANONNAME). The kernel signals POLLPRI|POLLERR on that file
/// when the name changes (proc_sys_poll), so the value is refreshed on change instead of
/// cached forever as the C daemon does (issue 3 point 4).
/// </summary>
public sealed class KernelHostNameSource : IHostNameSource
{
    private readonly string _path;

    public KernelHostNameSource(string path)
    {
        _path = path;
        int fd = Native.Open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        WatchFd = fd >= 0 ? fd : -1;
        if (fd >= 0)
        {
            // proc_sys_poll reports a change relative to the event count sampled at open.
            Span<byte> scratch = stackalloc byte[256];
            Native.Read(fd, scratch);
        }
    }

    public int WatchFd { get; private set; }

    public uint WatchEvents => Native.EPOLLPRI | Native.EPOLLERR;

    public string FullyQualifiedDomainName() => Resolve(HostName());

    /// <summary>The current host name of this thread's UTS namespace.</summary>
    public string HostName()
    {
        try
        {
            return File.ReadAllText(_path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Dns.GetHostName();
        }
    }

    public static string Resolve(string name)
    {
        try
        {
            return Dns.GetHostEntry(name, AddressFamily.InterNetwork).HostName;
        }
        catch (SocketException ex)
        {
            return $"getaddrinfo failed: 0x{ex.ErrorCode:x} {ex.Message}";
        }
        catch (ArgumentException ex)
        {
            return $"getaddrinfo failed: 0x0 {ex.Message}";
        }
    }

    public void Acknowledge()
    {
        if (WatchFd >= 0)
        {
            Span<byte> scratch = stackalloc byte[256];
            Native.PRead(WatchFd, scratch, 0);
        }
    }

    public void Dispose()
    {
        if (WatchFd >= 0)
        {
            Native.Close(WatchFd);
            WatchFd = -1;
        }
    }
}
