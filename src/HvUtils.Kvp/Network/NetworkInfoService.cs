using System.Net;
using System.Net.Sockets;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Network;

/// <summary>
/// KVP_OP_GET_IP_INFO (kvp.md §7) and the AUTO pool's NetworkAddressIPv4/IPv6 values (kvp.md §6),
/// without forking: addresses from getifaddrs, gateways from /proc/net, DNS and DHCP from the network
/// stack's state files (or, with <c>UseHelperScripts</c>, from the distro scripts as the C daemon does).
/// </summary>
public sealed partial class NetworkInfoService
{
    private readonly KvpNetworkOptions _options;
    private readonly NetSysfs _sysfs;
    private readonly DefaultRoutes _routes;
    private readonly DnsServers _dns;
    private readonly DhcpLeases _dhcp;
    private readonly HelperScripts _scripts;
    private readonly ILogger _logger;

    public NetworkInfoService(IOptions<KvpOptions> options, ILogger<NetworkInfoService>? logger = null)
    {
        _options = options.Value.Network;
        _sysfs = new NetSysfs(_options.SysfsNetPath);
        _routes = new DefaultRoutes(_options.ProcNetPath);
        _dns = new DnsServers(_options);
        _dhcp = new DhcpLeases(_options);
        _scripts = new HelperScripts(_options.ScriptsDirectory, new CommandRunner(_options.CommandTimeout));
        _logger = logger ?? NullLogger<NetworkInfoService>.Instance;
    }

    /// <summary>
    /// GET_IP_INFO for the adapter whose MAC is <paramref name="adapterId"/> (any case, <c>:</c> or <c>-</c>).
    /// Interfaces are walked in sysfs directory order; the first match with an address wins, an
    /// address-less match (an SR-IOV VF sharing the synthetic NIC's MAC) is passed over; only address-less
    /// matches → status 0 with empty lists; no match → HV_E_FAIL.
    /// </summary>
    public IpInfoResult GetIpInfo(string adapterId)
    {
        string? wanted = MacText.Normalize(adapterId);
        if (wanted is null || !_sysfs.Exists)
        {
            LogNoInterface(adapterId);
            return IpInfoResult.Failure(adapterId);
        }
        var addresses = new List<InterfaceAddressEntry>();
        int rc = Native.GetInterfaceAddresses(addresses);
        if (rc < 0)
        {
            LogGetIfAddrsFailed(Errno.Describe(-rc));
            return IpInfoResult.Failure(adapterId) with { IpAddresses = "getifaddrs failed\n" };
        }
        IpInfoResult? fallback = null;
        foreach (string name in _sysfs.InterfaceNames())
        {
            string? mac = _sysfs.Mac(name);
            if (mac is null || MacText.Normalize(mac) != wanted)
            {
                continue;
            }
            IpInfoResult info = Gather(adapterId, name, addresses);
            if (info.IpAddresses.Length > 0)
            {
                return info;
            }
            fallback ??= info;
        }
        if (fallback is null)
        {
            LogNoInterface(adapterId);
        }
        return fallback ?? IpInfoResult.Failure(adapterId);
    }

    /// <summary>
    /// AUTO pool indexes 2 and 3 (kvp.md §6): every non-loopback IPv4 / IPv6 address of every interface in
    /// getifaddrs order, <c>;</c>-joined, cut like the C daemon within the 2048-byte value field.
    /// </summary>
    public (string IPv4, string IPv6) GetNetworkAddresses()
    {
        var addresses = new List<InterfaceAddressEntry>();
        if (Native.GetInterfaceAddresses(addresses) < 0)
        {
            return ("getifaddrs failed\n", "getifaddrs failed\n");
        }
        var v4 = new AddressList(2048);
        var v6 = new AddressList(2048);
        foreach (InterfaceAddressEntry a in addresses)
        {
            if ((a.Flags & Native.IFF_LOOPBACK) == 0)
            {
                (a.Family == Native.AF_INET ? v4 : v6).TryAdd(a.Family, IpText.Format(new IPAddress(a.Address)));
            }
        }
        return (v4.ToString(), v6.ToString());
    }

    private IpInfoResult Gather(string adapterId, string interfaceName, List<InterfaceAddressEntry> all)
    {
        var ips = new AddressList(IpInfoLimits.AddressList + 1);
        var masks = new StringBuilder();
        byte family = AddressFamilyFlags.None;
        var ipv4 = new List<IPAddress>();
        foreach (InterfaceAddressEntry a in all)
        {
            // Exact name: the C daemon's prefix compare also collects eth01's addresses for eth0.
            if (a.Name != interfaceName || (a.Flags & Native.IFF_LOOPBACK) != 0)
            {
                continue;
            }
            bool v4 = a.Family == Native.AF_INET;
            string mask = v4 ? IpText.IPv4Mask(a.PrefixLength) : "/" + a.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (masks.Length + (masks.Length > 0 ? 1 : 0) + mask.Length > IpInfoLimits.AddressList
                || !ips.TryAdd(a.Family, IpText.Format(new IPAddress(a.Address))))
            {
                break;
            }
            masks.Append(masks.Length > 0 ? ";" : "").Append(mask);
            family |= v4 ? AddressFamilyFlags.IPv4 : AddressFamilyFlags.IPv6;
            if (v4)
            {
                ipv4.Add(new IPAddress(a.Address));
            }
        }
        int ifIndex = _sysfs.IfIndex(interfaceName);
        string gateways = Terminated(_routes.Gateways(interfaceName), IpInfoLimits.GatewayList);
        string dns;
        byte dhcp;
        if (_options.UseHelperScripts)
        {
            dns = _scripts.DnsServers(interfaceName, IpInfoLimits.AddressList);
            dhcp = _scripts.Dhcp(interfaceName) ?? 0;
        }
        else
        {
            dns = Terminated(_dns.For(ifIndex), IpInfoLimits.AddressList);
            dhcp = _dhcp.IsLeased(interfaceName, ifIndex, ipv4) ? (byte)1 : (byte)0;
        }
        return new IpInfoResult(HvStatus.S_OK, adapterId, family, dhcp, ips.ToString(), masks.ToString(), gateways, dns);
    }

    /// <summary>Each entry followed by <c>;</c> (kvp.md §7 gate_way and dns_addr), whole entries only.</summary>
    private static string Terminated(List<IPAddress> entries, int capacity)
    {
        var s = new StringBuilder();
        foreach (IPAddress e in entries)
        {
            string text = IpText.Format(e);
            if (s.Length + text.Length + 1 > capacity)
            {
                break;
            }
            s.Append(text).Append(';');
        }
        return s.ToString();
    }

    /// <summary>
    /// The C daemon's kvp_process_ip_address list: stop adding once fewer than INET(6)_ADDRSTRLEN + 2
    /// bytes remain of <c>length</c>, where every entry counts its text plus one separator byte.
    /// </summary>
    private sealed class AddressList(int length)
    {
        private readonly StringBuilder _text = new();
        private int _offset;

        public bool TryAdd(int family, string address)
        {
            int reserve = family == Native.AF_INET ? 16 : 46;
            if (length - _offset < reserve + 2)
            {
                return false;
            }
            _text.Append(_offset == 0 ? "" : ";").Append(address);
            _offset += address.Length + 1;
            return true;
        }

        public override string ToString() => _text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GET_IP_INFO: no interface has MAC {AdapterId}")]
    private partial void LogNoInterface(string adapterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET_IP_INFO: getifaddrs failed: {Error}")]
    private partial void LogGetIfAddrsFailed(string error);
}
