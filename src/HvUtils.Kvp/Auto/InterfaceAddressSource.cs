using System.Net;
using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Auto;

/// <summary>
/// Addresses from getifaddrs(3), refreshed when a NETLINK_ROUTE socket reports a link or
/// address change — so ENUMERATE of the AUTO pool costs no syscalls for them.
/// </summary>
public sealed class InterfaceAddressSource : INetworkAddressSource
{
    /// <summary>The C daemon stops adding once fewer than 16+2 (IPv4) / 46+2 (IPv6) bytes of the 2048-byte field remain.</summary>
    private const int FieldSize = 2048;

    private readonly byte[] _drain = new byte[8192];

    public InterfaceAddressSource()
    {
        int fd = Native.OpenAddressChangeSocket();
        WatchFd = fd >= 0 ? fd : -1;
    }

    public int WatchFd { get; private set; }

    public (string IPv4, string IPv6) Addresses()
    {
        if (Native.GetInterfaceAddresses(out List<Native.InterfaceAddress> all) < 0)
        {
            return ("", "");
        }
        return (Join(all, Native.AF_INET, 16 + 2), Join(all, Native.AF_INET6, 46 + 2));
    }

    /// <summary>Non-loopback addresses of one family, <c>;</c>-joined (IPv6 compressed, no scope), bounded like the C daemon.</summary>
    public static string Join(IEnumerable<Native.InterfaceAddress> all, ushort family, int reserve)
    {
        var text = new System.Text.StringBuilder();
        foreach (Native.InterfaceAddress a in all)
        {
            if (a.Family != family || (a.Flags & Native.IFF_LOOPBACK) != 0)
            {
                continue;
            }
            if (FieldSize - text.Length < reserve)
            {
                break;
            }
            if (text.Length > 0)
            {
                text.Append(';');
            }
            text.Append(new IPAddress(a.Address).ToString());
        }
        return text.ToString();
    }

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
}
