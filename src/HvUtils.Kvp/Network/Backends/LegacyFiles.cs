using System.Globalization;
using System.Net;
using System.Text;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// The C daemon's two files, byte for byte (kvp.md §8.4 ifcfg, §8.5 NetworkManager keyfile), rendered
/// from an already validated request, so they are complete or not written at all.
/// </summary>
public static class LegacyFiles
{
    /// <summary><c>ifcfg-&lt;if&gt;</c>: NAME=value lines; IPv6 values expanded to 8 groups of 4 hex digits.</summary>
    public static string Ifcfg(IpSettings s)
    {
        var f = new StringBuilder();
        Line(f, "HWADDR", s.Mac);
        Line(f, "DEVICE", s.InterfaceName);
        Line(f, "BOOTPROTO", s.Dhcp ? "dhcp" : "none");

        var ipv4 = new Counter();
        var ipv6 = new Counter();
        foreach (AddressSetting a in s.Addresses)
        {
            if (a.IsIPv4)
            {
                Line(f, "IPADDR" + ipv4.FromZero(), a.Text);
            }
            else
            {
                Line(f, "IPV6ADDR" + ipv6.Underscored(), IpText.Expand(a.Address));
            }
        }
        ipv4 = new Counter();
        ipv6 = new Counter();
        foreach (AddressSetting a in s.Addresses)
        {
            // process_ip_string(NETMASK) classifies the mask text itself: dotted quad → NETMASKn, anything
            // else → IPV6NETMASK (expanded when it is IPv6 address text, otherwise as received: "64").
            if (IpText.TryParseIPv4(a.SubnetText, out _))
            {
                Line(f, "NETMASK" + ipv4.FromZero(), a.SubnetText);
            }
            else
            {
                Line(f, "IPV6NETMASK" + ipv6.Underscored(),
                    IpText.TryParseIPv6(a.SubnetText, out IPAddress m) ? IpText.Expand(m) : a.SubnetText);
            }
        }
        ipv4 = new Counter();
        ipv6 = new Counter();
        foreach (ServerSetting g in s.Gateways)
        {
            if (g.IsIPv4)
            {
                Line(f, "GATEWAY" + ipv4.FirstBare(), g.Text);
            }
            else
            {
                Line(f, "IPV6_DEFAULTGW" + ipv6.Underscored(), IpText.Expand(g.Address));
            }
        }
        var dns = new Counter();
        foreach (ServerSetting d in s.DnsServers)
        {
            Line(f, "DNS" + dns.FromOne(), d.IsIPv4 ? d.Text : IpText.Expand(d.Address));
        }
        return f.ToString();
    }

    /// <summary><c>&lt;if&gt;.nmconnection</c> exactly as kvp.md §8.5 (gateway/dns joined with <c>,</c>).</summary>
    public static string Keyfile(IpSettings s)
    {
        var f = new StringBuilder();
        f.Append("\n[connection]\n");
        Line(f, "interface-name", s.InterfaceName);
        f.Append("\n[ethernet]\n");
        Line(f, "mac-address", s.Mac);
        foreach (bool ipv4 in new[] { true, false })
        {
            f.Append(ipv4 ? "\n[ipv4]\n" : "\n[ipv6]\n");
            int n = 0;
            foreach (AddressSetting a in s.Family(ipv4))
            {
                f.Append("address").Append(++n).Append('=').Append(a.Text).Append('/')
                    .Append(a.PrefixLength.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            string method = ipv4
                ? (s.Dhcp ? "auto" : n > 0 ? "manual" : "disabled")
                : (n > 0 ? "manual" : "auto");
            Line(f, "method", method);
            Joined(f, "gateway", s.GatewaysOf(ipv4));
            Joined(f, "dns", s.DnsOf(ipv4));
        }
        return f.ToString();
    }

    private static void Joined(StringBuilder f, string key, IEnumerable<ServerSetting> entries)
    {
        string joined = string.Join(',', entries.Select(e => e.Text));
        if (joined.Length > 0)
        {
            Line(f, key, joined);
        }
    }

    private static void Line(StringBuilder f, string key, string value) => f.Append(key).Append('=').Append(value).Append('\n');

    /// <summary>The C daemon's per-list suffix counters (process_ip_string).</summary>
    private sealed class Counter
    {
        private int _n;

        /// <summary>IPADDR0, IPADDR1 …</summary>
        public string FromZero() => (_n++).ToString(CultureInfo.InvariantCulture);

        /// <summary>DNS1, DNS2 …</summary>
        public string FromOne() => (++_n).ToString(CultureInfo.InvariantCulture);

        /// <summary>GATEWAY, GATEWAY1, GATEWAY2 …</summary>
        public string FirstBare() => _n++ == 0 ? "" : (_n - 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>IPV6ADDR, IPV6ADDR_1, IPV6ADDR_2 …</summary>
        public string Underscored() => _n++ == 0 ? "" : "_" + (_n - 1).ToString(CultureInfo.InvariantCulture);
    }
}
