using System.Net.Sockets;

namespace HvUtils.Core.Interop;

// The control socket's peer check (socket(7) SO_PEERCRED, struct ucred { pid_t pid; uid_t uid; gid_t gid; }).
public static partial class Native
{
    public const int SOL_SOCKET = 1;
    public const int SO_PEERCRED = 17;

    /// <summary>The connected peer's process credentials, read by the kernel at connect time (not spoofable).</summary>
    public static (int Pid, uint Uid, uint Gid) PeerCredentials(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        int n = socket.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, ucred);
        if (n < 12)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }
        // Native byte order, as the kernel wrote it.
        return (MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]));
    }
}
