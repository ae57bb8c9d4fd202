using System.Globalization;
using System.Net;
using HvUtils.Core.Channels;

namespace HvUtils.Kvp.Network;

/// <summary>
/// Validates a whole SET_IP_INFO request before anything is written (kvp.md §8; the C daemon validates
/// while writing and leaves truncated files). Statuses (kvp.md §8.6): adapter GUID not found →
/// HV_GUID_NOTFOUND; an ip_addr / gate_way / dns_addr element that is neither IPv4 nor IPv6 →
/// HV_INVALIDARG; anything else malformed → HV_E_FAIL (never the C daemon's raw negative values).
/// </summary>
public static class IpSettingsParser
{
    public static (uint Status, IpSettings? Settings, string Detail) Parse(IpConfiguration request, NetSysfs sysfs)
    {
        string? name = sysfs.FindByDeviceId(request.AdapterId);
        if (name is null)
        {
            return (HvStatus.GUID_NOTFOUND, null, $"no interface has device id {request.AdapterId}");
        }
        if (!IsSafeInterfaceName(name))
        {
            return Fail($"interface name '{name}' cannot be used in a file name");
        }
        string? mac = sysfs.Mac(name);
        if (mac is null || MacText.Normalize(mac) is null)
        {
            return Fail($"cannot read the MAC address of {name}");
        }
        if (request.DhcpEnabled > 1)
        {
            return Fail($"dhcp_enabled is {request.DhcpEnabled}, not 0 or 1");
        }
        if (!TrySplit(request.IpAddresses, out List<string> ips) || !TrySplit(request.SubNets, out List<string> subnets)
            || !TrySplit(request.Gateways, out List<string> gateways) || !TrySplit(request.DnsServers, out List<string> dns))
        {
            return Fail("a list has entries after an empty element");
        }
        var addresses = new List<AddressSetting>();
        foreach (string ip in ips)
        {
            IPAddress? address = IpText.ParseEither(ip);
            if (address is null)
            {
                return (HvStatus.INVALIDARG, null, $"ip_addr element '{ip}' is neither IPv4 nor IPv6");
            }
            addresses.Add(new AddressSetting(address, ip, "", 0));
        }
        if (subnets.Count != ips.Count)
        {
            return Fail($"{ips.Count} addresses but {subnets.Count} sub_net elements");
        }
        for (int i = 0; i < addresses.Count; i++)
        {
            int prefix = Prefix(addresses[i].IsIPv4, subnets[i]);
            if (prefix < 0)
            {
                return Fail($"sub_net element '{subnets[i]}' is not a valid {(addresses[i].IsIPv4 ? "IPv4 netmask" : "IPv6 prefix length")}");
            }
            addresses[i] = addresses[i] with { SubnetText = subnets[i], PrefixLength = prefix };
        }
        (List<ServerSetting>? gw, string? badGw) = Servers(gateways);
        if (gw is null)
        {
            return (HvStatus.INVALIDARG, null, $"gate_way element '{badGw}' is neither IPv4 nor IPv6");
        }
        (List<ServerSetting>? servers, string? badDns) = Servers(dns);
        if (servers is null)
        {
            return (HvStatus.INVALIDARG, null, $"dns_addr element '{badDns}' is neither IPv4 nor IPv6");
        }
        return (HvStatus.S_OK, new IpSettings(name, mac, request.DhcpEnabled != 0, addresses, gw, servers), "");
    }

    /// <summary>
    /// kvp.md §8.2 lists: <c>;</c>-separated, leading spaces ignored, an empty element ends the list. A
    /// trailing <c>;</c> is fine; further elements after an empty one are rejected rather than ignored.
    /// </summary>
    public static bool TrySplit(string field, out List<string> elements)
    {
        elements = [];
        string[] parts = field.Split(';');
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
            {
                return parts.Skip(i).All(p => p.Length == 0);
            }
            elements.Add(parts[i].TrimStart(' '));
        }
        return true;
    }

    private static (List<ServerSetting>?, string?) Servers(List<string> elements)
    {
        var result = new List<ServerSetting>();
        foreach (string e in elements)
        {
            IPAddress? address = IpText.ParseEither(e);
            if (address is null)
            {
                return (null, e);
            }
            result.Add(new ServerSetting(address, e));
        }
        return (result, null);
    }

    /// <summary>IPv4: a contiguous dotted netmask. IPv6: a decimal length 0–128 (what the host sends) or a contiguous mask.</summary>
    private static int Prefix(bool ipv4, string subnet)
    {
        if (ipv4)
        {
            return IpText.TryParseIPv4(subnet, out IPAddress mask) ? IpText.PrefixOfMask(mask) : -1;
        }
        if (subnet.Length is > 0 and <= 3 && subnet.All(char.IsAsciiDigit)
            && int.TryParse(subnet, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            return length <= 128 ? length : -1;
        }
        return IpText.TryParseIPv6(subnet, out IPAddress v6mask) ? IpText.PrefixOfMask(v6mask) : -1;
    }

    // The name becomes part of file names and of NAME=value lines.
    private static bool IsSafeInterfaceName(string name) =>
        name.Length is > 0 and <= 15 && name != "." && name != ".."
        && name.All(c => c > ' ' && c < 0x7f && c != '/' && c != '=' && c != '"' && c != '\\' && c != '*' && c != '?');

    private static (uint, IpSettings?, string) Fail(string detail) => (HvStatus.E_FAIL, null, detail);
}
