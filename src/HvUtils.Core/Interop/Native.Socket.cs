using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// sys/socket.h, sys/un.h: AF_UNIX SOCK_SEQPACKET, the simulator's stand-in for a device node.
public static unsafe partial class Native
{
    public const int MSG_TRUNC = 0x20;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>Connects a SOCK_SEQPACKET socket to a Unix socket path; returns the fd or -errno.</summary>
    public static int ConnectSeqPacket(string path)
    {
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return -errno;
        }
        int rc = ConnectUnix(fd, path);
        if (rc < 0)
        {
            close(fd);
            return rc;
        }
        return fd;
    }

    private static int ConnectUnix(int fd, string path)
    {
        sockaddr_un addr = default;
        addr.sun_family = (ushort)AF_UNIX;
        byte[] p = Utf8Z(path);
        if (p.Length > 108)
        {
            return -Errno.ENAMETOOLONG;
        }
        for (int i = 0; i < p.Length; i++)
        {
            addr.sun_path[i] = p[i];
        }
        while (true)
        {
            if (connect(fd, (sockaddr*)&addr, (uint)sizeof(sockaddr_un)) == 0)
            {
                return 0;
            }
            int e = errno;
            if (e != Errno.EINTR)
            {
                return -e;
            }
        }
    }

    /// <summary>
    /// Receives one datagram with MSG_TRUNC: returns its full length even when it was
    /// larger than <paramref name="buffer"/>, 0 at end of stream, or -errno.
    /// </summary>
    public static long ReceiveMessage(int fd, Span<byte> buffer, int flags = 0)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = recv(fd, p, buffer.Length, MSG_TRUNC | flags);
                if (n >= 0)
                {
                    return n;
                }
                int e = errno;
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static long SendMessage(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = send(fd, p, buffer.Length, MSG_NOSIGNAL);
                if (n >= 0)
                {
                    return n;
                }
                int e = errno;
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    /// <summary>Creates a connected SOCK_SEQPACKET pair (tests and in-process devices).</summary>
    public static int SeqPacketPair(out int fd0, out int fd1)
    {
        int* fds = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        {
            fd0 = fd1 = -1;
            return -errno;
        }
        fd0 = fds[0];
        fd1 = fds[1];
        return 0;
    }
}
