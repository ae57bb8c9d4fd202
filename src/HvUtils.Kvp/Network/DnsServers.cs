using System.Net;

namespace HvUtils.Kvp.Network;

/// <summary>
/// DNS servers of one interface without running hv_get_dns_info (kvp.md §7, §9). Sources, first
/// non-empty wins:
/// 1. per link: systemd-resolved <c>netif/&lt;ifindex&gt;</c> (<c>SERVERS=</c>), then systemd-networkd
///    <c>links/&lt;ifindex&gt;</c> (<c>DNS=</c>);
/// 2. NetworkManager's <c>no-stub-resolv.conf</c> (the servers NetworkManager pushed, system wide);
/// 3. <c>resolv.conf</c> <c>nameserver</c> lines; when it points only at a local stub (127.0.0.53),
///    systemd-resolved's uplink file <c>resolv.conf</c> instead.
/// Loopback addresses are dropped: a stub on the guest is no use to the host.
/// </summary>
public sealed class DnsServers(KvpNetworkOptions options)
{
    public List<IPAddress> For(int ifIndex)
    {
        if (ifIndex > 0)
        {
            List<IPAddress> perLink = KeyValueServers(Path.Combine(options.ResolvedRunDirectory, "netif", Index(ifIndex)), "SERVERS");
            if (perLink.Count == 0)
            {
                perLink = KeyValueServers(Path.Combine(options.NetworkdRunDirectory, "links", Index(ifIndex)), "DNS");
            }
            if (perLink.Count > 0)
            {
                return perLink;
            }
        }
        List<IPAddress> servers = ResolvConf(Path.Combine(options.NetworkManagerRunDirectory, "no-stub-resolv.conf"));
        if (servers.Count > 0)
        {
            return servers;
        }
        servers = ResolvConf(options.ResolvConfPath);
        return servers.Count > 0 ? servers : ResolvConf(Path.Combine(options.ResolvedRunDirectory, "resolv.conf"));
    }

    private static string Index(int ifIndex) => ifIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>nameserver ADDR</c> lines of a resolv.conf, loopback dropped.</summary>
    public static List<IPAddress> ResolvConf(string path)
    {
        var result = new List<IPAddress>();
        foreach (string line in ReadLines(path))
        {
            string[] f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 2 && f[0] == "nameserver")
            {
                AddServer(result, f[1]);
            }
        }
        return result;
    }

    /// <summary>A <c>KEY=a b c</c> line of a systemd state file; entries may carry <c>:port</c>, <c>%ifindex</c>, <c>#name</c>.</summary>
    public static List<IPAddress> KeyValueServers(string path, string key)
    {
        var result = new List<IPAddress>();
        foreach (string line in ReadLines(path))
        {
            if (line.StartsWith(key + "=", StringComparison.Ordinal))
            {
                foreach (string token in line[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    AddServer(result, StripDecorations(token));
                }
            }
        }
        return result;
    }

    // resolved writes in_addr_full: "1.2.3.4:53%2#dns.example", "[2001:db8::1]:53#x".
    private static string StripDecorations(string token)
    {
        int hash = token.IndexOf('#');
        string s = hash >= 0 ? token[..hash] : token;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            return close > 0 ? s[1..close] : s;
        }
        int percent = s.IndexOf('%');
        s = percent >= 0 ? s[..percent] : s;
        int colon = s.IndexOf(':');
        return colon > 0 && s.IndexOf(':', colon + 1) < 0 ? s[..colon] : s;
    }

    private static void AddServer(List<IPAddress> into, string text)
    {
        int percent = text.IndexOf('%');
        IPAddress? address = IpText.ParseEither(percent >= 0 ? text.AsSpan(0, percent) : text);
        if (address is not null && !IPAddress.IsLoopback(address) && !into.Contains(address))
        {
            into.Add(address);
        }
    }

    internal static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
