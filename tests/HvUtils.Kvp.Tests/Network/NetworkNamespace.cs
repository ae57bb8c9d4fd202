using System.Runtime.ExceptionServices;
using HvUtils.Core.Interop;
using HvUtils.Testing;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// A network namespace this test creates and always ends. It is made by a short-lived thread's
/// unshare(CLONE_NEWNET) and kept alive by an fd on it, not by <c>ip netns add</c>, which would
/// create and bind-mount <c>/run/netns</c> on the machine (and leave that mount behind). Closing
/// the fd ends the namespace and its links. Code runs inside it on a dedicated thread that joined
/// it with setns(CLONE_NEWNET): getifaddrs' netlink socket and <c>/proc/thread-self/net</c> then
/// see the namespace, the rest of the test process does not; <c>ip</c> runs inside via nsenter(1).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private int _fd;

    public NetworkNamespace()
    {
        int fd = -1;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                PrivateNamespace.Unshare(PrivateNamespace.CLONE_NEWNET);
                fd = Native.Open("/proc/thread-self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC);
                if (fd < 0)
                {
                    throw new IOException($"open /proc/thread-self/ns/net: {Errno.Describe(-fd)}");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        // The thread ends here, so only the fd holds the namespace.
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new IOException("creating a network namespace failed", failure);
        }
        _fd = fd;
        Path = $"/proc/{Environment.ProcessId}/fd/{fd}";
    }

    /// <summary>The namespace as a path for nsenter(1) (our fd on it, seen through /proc).</summary>
    public string Path { get; }

    /// <summary>The thread's own /proc/net, i.e. the namespace's routes while running inside.</summary>
    public const string ProcNetPath = "/proc/thread-self/net";

    /// <summary><c>ip args…</c> inside the namespace.</summary>
    public string Ip(params string[] args) => ProcessRunner.Run("nsenter", [$"--net={Path}", "ip", .. args]);

    /// <summary>A veth pair inside the namespace, both ends up, no automatic IPv6 link-local addresses.</summary>
    public void AddVeth(string name, string mac, string peer)
    {
        Ip("link", "add", name, "address", mac, "type", "veth", "peer", "name", peer);
        foreach (string link in new[] { name, peer })
        {
            Ip("link", "set", link, "addrgenmode", "none");
            Ip("link", "set", link, "up");
        }
    }

    public int IfIndex(string link) =>
        int.Parse(Ip("-o", "link", "show", "dev", link).Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="action"/> on a new thread inside the namespace and returns its result.</summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                int rc = Native.SetNamespace(_fd, Native.CLONE_NEWNET);
                if (rc < 0)
                {
                    throw new IOException($"setns: {Errno.Describe(-rc)}");
                }
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        // The thread ends after the action, so no pooled thread is ever left in the namespace.
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Native.Close(fd);
        }
    }
}
