using HvUtils.Core.Interop;
using HvUtils.Kvp.Network;

namespace HvUtils.Kvp.Auto;

/// <summary>
/// NetworkAddressIPv4/IPv6 from the KVP network service (the same code GET_IP_INFO uses,
/// spec/kvp.md §6), refreshed when a NETLINK_ROUTE socket reports a link or address change
/// — so ENUMERATE of the AUTO pool costs no syscalls for them.
/// </summary>
public sealed class InterfaceAddressSource(NetworkInfoService network) : INetworkAddressSource
{
    private readonly byte[] _drain = new byte[8192];

    public int WatchFd { get; private set; } = OpenWatch();

    public (string IPv4, string IPv6) Addresses() => network.GetNetworkAddresses();

    public void Acknowledge()
    {
        while (WatchFd >= 0 && Native.ReceiveMessage(WatchFd, _drain, Native.MSG_DONTWAIT) > 0)
        {
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

    private static int OpenWatch()
    {
        int fd = Native.OpenAddressChangeSocket();
        return fd >= 0 ? fd : -1;
    }
}
