using System.Net;
using System.Net.Sockets;

namespace HvUtils.Kvp.Network;

/// <summary>One address of a SET_IP_INFO request with its sub_net element (kvp.md §8.2).</summary>
/// <param name="Text">the element as received, leading spaces removed (the keyfile writes it unchanged).</param>
/// <param name="SubnetText">the paired sub_net element as received (the ifcfg NETMASK/IPV6NETMASK source).</param>
public sealed record AddressSetting(IPAddress Address, string Text, string SubnetText, int PrefixLength)
{
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;
}

/// <summary>A gateway or DNS server element: the parsed address and its text as received.</summary>
public sealed record ServerSetting(IPAddress Address, string Text)
{
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;
}

/// <summary>
/// A SET_IP_INFO request after every field was validated (<see cref="IpSettingsParser"/>): what every
/// backend renders. Nothing is written before one of these exists.
/// </summary>
public sealed record IpSettings(
    string InterfaceName,
    string Mac,
    bool Dhcp,
    IReadOnlyList<AddressSetting> Addresses,
    IReadOnlyList<ServerSetting> Gateways,
    IReadOnlyList<ServerSetting> DnsServers)
{
    public IEnumerable<AddressSetting> Family(bool ipv4) => Addresses.Where(a => a.IsIPv4 == ipv4);

    public IEnumerable<ServerSetting> GatewaysOf(bool ipv4) => Gateways.Where(g => g.IsIPv4 == ipv4);

    public IEnumerable<ServerSetting> DnsOf(bool ipv4) => DnsServers.Where(d => d.IsIPv4 == ipv4);

    /// <summary>The MAC in lower-case colon form (networkd, netplan).</summary>
    public string MacLower => Mac.ToLowerInvariant();
}
