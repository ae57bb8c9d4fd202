namespace HvUtils.Core.Interop;

/// <summary>One entry of getifaddrs(3) with an AF_INET or AF_INET6 address (other families are skipped).</summary>
/// <param name="Name">ifa_name.</param>
/// <param name="Flags">ifa_flags (IFF_*).</param>
/// <param name="Family">AF_INET or AF_INET6.</param>
/// <param name="Address">4 or 16 address bytes, network order.</param>
/// <param name="PrefixLength">set bits of ifa_netmask.</param>
public readonly record struct InterfaceAddressEntry(string Name, uint Flags, int Family, byte[] Address, int PrefixLength);

// ifaddrs.h, net/if.h, sched.h — not in Tmds.LibC 0.5 (stack.md), declared here.
public static unsafe partial class Native
{
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const uint IFF_UP = 0x1;
    public const uint IFF_LOOPBACK = 0x8;
    public const int CLONE_NEWNET = 0x40000000;

    // struct ifaddrs (glibc, 64-bit and 32-bit: pointers then the union and ifa_data), C name kept.
#pragma warning disable CS8981
    [StructLayout(LayoutKind.Sequential)]
    private struct ifaddrs
    {
        public ifaddrs* ifa_next;
        public byte* ifa_name;
        public uint ifa_flags;
        public ushort* ifa_addr;
        public ushort* ifa_netmask;
        public void* ifa_ifu;
        public void* ifa_data;
    }
#pragma warning restore CS8981

    [LibraryImport("libc", EntryPoint = "getifaddrs", SetLastError = true)]
    private static partial int getifaddrs(ifaddrs** ifap);

    [LibraryImport("libc", EntryPoint = "freeifaddrs")]
    private static partial void freeifaddrs(ifaddrs* ifa);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    /// <summary>
    /// getifaddrs(3): appends every AF_INET/AF_INET6 entry, in the C library's order, to
    /// <paramref name="into"/>. Returns 0 or -errno.
    /// </summary>
    public static int GetInterfaceAddresses(List<InterfaceAddressEntry> into)
    {
        ifaddrs* head;
        if (getifaddrs(&head) != 0)
        {
            return -Marshal.GetLastPInvokeError();
        }
        try
        {
            for (ifaddrs* p = head; p != null; p = p->ifa_next)
            {
                if (p->ifa_addr == null || p->ifa_name == null)
                {
                    continue;
                }
                int family = *p->ifa_addr;
                // sockaddr_in: family(2) port(2) addr(4); sockaddr_in6: family(2) port(2) flowinfo(4) addr(16).
                int offset = family == AF_INET ? 4 : family == AF_INET6 ? 8 : -1;
                if (offset < 0)
                {
                    continue;
                }
                int size = family == AF_INET ? 4 : 16;
                byte[] address = new ReadOnlySpan<byte>((byte*)p->ifa_addr + offset, size).ToArray();
                int prefix = 0;
                if (p->ifa_netmask != null)
                {
                    foreach (byte b in new ReadOnlySpan<byte>((byte*)p->ifa_netmask + offset, size))
                    {
                        prefix += System.Numerics.BitOperations.PopCount(b);
                    }
                }
                string name = Marshal.PtrToStringUTF8((nint)p->ifa_name) ?? "";
                into.Add(new InterfaceAddressEntry(name, p->ifa_flags, family, address, prefix));
            }
            return 0;
        }
        finally
        {
            freeifaddrs(head);
        }
    }

    /// <summary>setns(2) for the calling thread: returns 0 or -errno.</summary>
    public static int SetNamespace(int fd, int nsType) => setns(fd, nsType) == 0 ? 0 : -Marshal.GetLastPInvokeError();
}

// fsync(2) of a directory: makes a rename of network configuration files durable.
public static partial class Native
{
    /// <summary>Opens <paramref name="directory"/> read-only and fsyncs it; returns 0 or -errno.</summary>
    public static int SyncDirectory(string directory)
    {
        int fd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
        {
            return fd;
        }
        int rc = Tmds.Linux.LibC.fsync(fd) == 0 ? 0 : -Tmds.Linux.LibC.errno;
        Close(fd);
        return rc;
    }
}
