using System.Runtime.ExceptionServices;
using HvUtils.Core.Interop;
using HvUtils.Testing;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// A network namespace this test creates (<c>ip netns add</c>) and always deletes. Code runs inside it on a
/// dedicated thread that joined it with setns(CLONE_NEWNET): getifaddrs' netlink socket and
/// <c>/proc/thread-self/net</c> then see the namespace, the rest of the test process does not.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace()
    {
        Name = $"hvu-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        ProcessRunner.Run("ip", "netns", "add", Name);
    }

    public string Name { get; }

    /// <summary>The thread's own /proc/net, i.e. the namespace's routes while running inside.</summary>
    public const string ProcNetPath = "/proc/thread-self/net";

    /// <summary><c>ip -n NAME args…</c></summary>
    public string Ip(params string[] args) => ProcessRunner.Run("ip", ["-n", Name, .. args]);

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
                int fd = Native.Open($"/run/netns/{Name}", Native.O_RDONLY | Native.O_CLOEXEC);
                if (fd < 0)
                {
                    throw new IOException($"open /run/netns/{Name}: {Errno.Describe(-fd)}");
                }
                int rc = Native.SetNamespace(fd, Native.CLONE_NEWNET);
                Native.Close(fd);
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

    public void Dispose() => ProcessRunner.Run("ip", ["netns", "del", Name], check: false);
}
