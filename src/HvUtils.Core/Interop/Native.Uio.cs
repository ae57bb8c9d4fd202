namespace HvUtils.Core.Interop;

// sys/socket.h: the simulator's stand-in for /dev/uioN is a SEQPACKET socket; a signal to the
// host must never block the channel thread (a real uio write never does), so it is sent
// MSG_DONTWAIT — a full socket already holds an unread signal, which is all the host needs.
public static unsafe partial class Native
{
    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint send_(int fd, byte* buf, nint len, int flags);

    /// <summary>send(2) with MSG_DONTWAIT|MSG_NOSIGNAL: bytes sent or -errno (-EAGAIN when the socket is full).</summary>
    public static long SendNonBlocking(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = send_(fd, p, buffer.Length, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n >= 0)
                {
                    return n;
                }
                int e = Marshal.GetLastSystemError();
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }
}
