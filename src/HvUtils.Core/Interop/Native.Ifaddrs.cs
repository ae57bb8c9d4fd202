namespace HvUtils.Core.Interop;

// ifaddrs.h (getifaddrs) and a NETLINK_ROUTE socket that reports address changes —
// neither is in Tmds.LibC 0.5 (stack.md).
public static unsafe partial class Native
{
    public const ushort AF_INET = 2;
    public const ushort AF_INET6 = 10;
    public const uint IFF_UP = 0x1;
    public const uint IFF_LOOPBACK = 0x8;
    private const int AF_NETLINK = 16;
    private const int SOCK_RAW = 3;
    private const int SOCK_NONBLOCK_CLOEXEC = 0x800 | 0x80000;
    private const int NETLINK_ROUTE = 0;
    private const uint RTMGRP_LINK = 0x1;
    private const uint RTMGRP_IPV4_IFADDR = 0x10;
    private const uint RTMGRP_IPV6_IFADDR = 0x100;

    /// <summary>One entry of getifaddrs(3) with an IPv4 or IPv6 address (4 or 16 address bytes, same-sized mask).</summary>
    public sealed record InterfaceAddress(string Name, uint Flags, ushort Family, byte[] Address, byte[]? Netmask);

    [LibraryImport("libc", EntryPoint = "getifaddrs", SetLastError = true)]
    private static partial int getifaddrs(nint* ifap);

    [LibraryImport("libc", EntryPoint = "freeifaddrs")]
    private static partial void freeifaddrs(nint ifa);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int socket_(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int bind_(int fd, byte* addr, uint len);

    /// <summary>getifaddrs(3): the IPv4/IPv6 entries in the C library's order; -errno on failure.</summary>
    public static int GetInterfaceAddresses(out List<InterfaceAddress> addresses)
    {
        addresses = [];
        nint head;
        if (getifaddrs(&head) != 0)
        {
            return -Marshal.GetLastPInvokeError();
        }
        try
        {
            // struct ifaddrs on 64-bit: next 0, name 8, flags 16, addr 24, netmask 32.
            for (nint p = head; p != 0; p = *(nint*)p)
            {
                byte* addr = *(byte**)(p + 24);
                if (addr == null)
                {
                    continue;
                }
                ushort family = *(ushort*)addr;
                int offset = family == AF_INET ? 4 : family == AF_INET6 ? 8 : -1;
                if (offset < 0)
                {
                    continue;
                }
                int size = family == AF_INET ? 4 : 16;
                byte* mask = *(byte**)(p + 32);
                addresses.Add(new InterfaceAddress(
                    Marshal.PtrToStringUTF8(*(nint*)(p + 8)) ?? "",
                    *(uint*)(p + 16),
                    family,
                    new ReadOnlySpan<byte>(addr + offset, size).ToArray(),
                    mask == null ? null : new ReadOnlySpan<byte>(mask + offset, size).ToArray()));
            }
        }
        finally
        {
            freeifaddrs(head);
        }
        return 0;
    }

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
