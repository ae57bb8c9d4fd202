using HvUtils.Core.Channels;

namespace HvUtils.Kvp.Network;

/// <summary>addr_family bits of hv_kvp_ipaddr_value (kvp.md §1.5).</summary>
public static class AddressFamilyFlags
{
    public const byte None = 0x00;
    public const byte IPv4 = 0x01;
    public const byte IPv6 = 0x02;
}

/// <summary>
/// Capacities of the reply strings, excluding the NUL. The daemon fields are larger (kvp.md §2.7), but
/// the kernel converts at most 1024 / 512 UTF-16 units into the host message (transport.md §10.2), so
/// lists are cut at whole elements to fit that: the host never sees half an address.
/// </summary>
public static class IpInfoLimits
{
    public const int AddressList = 1023;
    public const int GatewayList = 511;
    public const int AdapterId = 127;
}

/// <summary>
/// The answer to KVP_OP_GET_IP_INFO in the plain strings of hv_kvp_ipaddr_value (kvp.md §7): the
/// integrator copies each field into the reply unchanged. Lists use the spec's separators:
/// <see cref="IpAddresses"/> and <see cref="SubNets"/> are <c>;</c>-joined without a trailing <c>;</c>,
/// <see cref="Gateways"/> and <see cref="DnsServers"/> carry a <c>;</c> after every entry.
/// </summary>
public sealed record IpInfoResult(
    uint Status,
    string AdapterId,
    byte AddressFamily,
    byte DhcpEnabled,
    string IpAddresses,
    string SubNets,
    string Gateways,
    string DnsServers)
{
    public static IpInfoResult Failure(string adapterId) =>
        new(HvStatus.E_FAIL, adapterId, AddressFamilyFlags.None, 0, "", "", "", "");
}

/// <summary>
/// A KVP_OP_SET_IP_INFO request in the plain strings of hv_kvp_ipaddr_value (kvp.md §8): the adapter's
/// VMBus device GUID text, the dhcp_enabled byte and the four <c>;</c>-separated lists as received.
/// </summary>
public sealed record IpConfiguration(
    string AdapterId,
    byte DhcpEnabled,
    string IpAddresses,
    string SubNets,
    string Gateways,
    string DnsServers);

/// <summary>The outcome of SET_IP_INFO: the reply status, the backend that ran (or would have) and why it failed.</summary>
public sealed record IpConfigurationResult(uint Status, string Backend, string Detail);
