using System.Net.Sockets;
using System.Text;

namespace HvUtils.Core.Hosting;

/// <summary>
/// sd_notify: one datagram per message to <c>$NOTIFY_SOCKET</c>. Sent whenever the
/// variable is set — not only under a systemd parent as Hosting.Systemd does (stack.md) —
/// so tests and other supervisors get READY too.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _lock = new();

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }
        // A leading '@' names an abstract socket (sd_notify(3)).
        string path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    /// <summary>Sends one notification ("READY=1", "STATUS=…"); failures are ignored as sd_notify does.</summary>
    public void Notify(string state)
    {
        if (_socket is null || _endpoint is null)
        {
            return;
        }
        lock (_lock)
        {
            try
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose() => _socket?.Dispose();
}
