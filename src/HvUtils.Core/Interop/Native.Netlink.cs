namespace HvUtils.Core.Interop;

// linux/netlink.h, linux/rtnetlink.h: a NETLINK_ROUTE socket that reports link and address
// changes (the AUTO pool refreshes its addresses on it) — not in Tmds.LibC 0.5 (stack.md).
public static unsafe partial class Native
{
    private const int AF_NETLINK = 16;
    private const int SOCK_RAW = 3;
    private const int SOCK_NONBLOCK_CLOEXEC = 0x800 | 0x80000;
    private const int NETLINK_ROUTE = 0;
    private const uint RTMGRP_LINK = 0x1;
    private const uint RTMGRP_IPV4_IFADDR = 0x10;
    private const uint RTMGRP_IPV6_IFADDR = 0x100;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int socket_(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int bind_(int fd, byte* addr, uint len);

    /// <summary>A non-blocking NETLINK_ROUTE socket subscribed to link and address changes; fd or -errno. Drain it with <see cref="ReceiveMessage"/>.</summary>
    public static int OpenAddressChangeSocket()
    {
        int fd = socket_(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
        {
            return -Marshal.GetLastPInvokeError();
        }
        // struct sockaddr_nl: family u16, pad u16, pid u32, groups u32.
        byte* sa = stackalloc byte[12];
        new Span<byte>(sa, 12).Clear();
        *(ushort*)sa = AF_NETLINK;
        *(uint*)(sa + 8) = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
        if (bind_(fd, sa, 12) != 0)
        {
            int e = Marshal.GetLastPInvokeError();
            Close(fd);
            return -e;
        }
        return fd;
    }
}
