using System.Net;

namespace HvUtils.Kvp.Network;

/// <summary>
/// The DHCP flag of GET_IP_INFO without running hv_get_dhcp_info (kvp.md §7, §9): DHCP is reported
/// enabled when one of the interface's current IPv4 addresses is the address of a DHCP lease held for
/// it. A lease file alone is not enough (they outlive a switch to static addressing); the address must
/// still be on the interface. Lease sources:
/// 1. systemd-networkd: <c>&lt;NetworkdRunDirectory&gt;/leases/&lt;ifindex&gt;</c>, <c>ADDRESS=</c>;
/// 2. NetworkManager's internal client: <c>&lt;NetworkManagerStateDirectory&gt;/internal-*-&lt;if&gt;.lease</c>,
///    <c>ADDRESS=</c>; NetworkManager's dhclient: <c>dhclient-*-&lt;if&gt;.lease</c> there;
/// 3. dhclient: every <c>*.lease</c>/<c>*.leases</c> file in <c>DhclientLeaseDirectories</c>, blocks with
///    <c>interface "&lt;if&gt;";</c> and <c>fixed-address A;</c>.
/// </summary>
public sealed class DhcpLeases(KvpNetworkOptions options)
{
    public bool IsLeased(string interfaceName, int ifIndex, IReadOnlyCollection<IPAddress> ipv4Addresses)
    {
        if (ipv4Addresses.Count == 0)
        {
            return false;
        }
        bool Held(IPAddress? a) => a is not null && ipv4Addresses.Contains(a);

        if (ifIndex > 0 && Held(KeyValueAddress(Path.Combine(options.NetworkdRunDirectory, "leases",
                ifIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
        {
            return true;
        }
        // The name becomes part of a search pattern: a (legal) '*' or '?' in it would match other files.
        bool plainName = interfaceName.IndexOfAny(['*', '?']) < 0;
        foreach (string file in plainName ? Files(options.NetworkManagerStateDirectory, $"internal-*-{interfaceName}.lease") : [])
        {
            if (Held(KeyValueAddress(file)))
            {
                return true;
            }
        }
        IEnumerable<string> dhclientFiles = plainName ? Files(options.NetworkManagerStateDirectory, $"dhclient-*-{interfaceName}.lease") : [];
        foreach (string directory in options.DhclientLeaseDirectories)
        {
            dhclientFiles = dhclientFiles.Concat(Files(directory, "*.lease")).Concat(Files(directory, "*.leases"));
        }
        foreach (string file in dhclientFiles)
        {
            if (DhclientAddresses(file, interfaceName).Any(a => Held(a)))
            {
                return true;
            }
        }
        return false;
    }

    private static IPAddress? KeyValueAddress(string path)
    {
        foreach (string line in DnsServers.ReadLines(path))
        {
            if (line.StartsWith("ADDRESS=", StringComparison.Ordinal)
                && IpText.TryParseIPv4(line.AsSpan(8).Trim(), out IPAddress address))
            {
                return address;
            }
        }
        return null;
    }

    /// <summary>fixed-address of every <c>lease { … }</c> block naming the interface (dhclient.leases(5)).</summary>
    internal static IEnumerable<IPAddress> DhclientAddresses(string path, string interfaceName)
    {
        string? iface = null;
        IPAddress? fixedAddress = null;
        foreach (string raw in DnsServers.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith("lease", StringComparison.Ordinal) && line.EndsWith('{'))
            {
                iface = null;
                fixedAddress = null;
            }
            else if (line.StartsWith("interface ", StringComparison.Ordinal))
            {
                iface = line["interface ".Length..].TrimEnd(';').Trim().Trim('"');
            }
            else if (line.StartsWith("fixed-address ", StringComparison.Ordinal)
                && IpText.TryParseIPv4(line["fixed-address ".Length..].TrimEnd(';').Trim(), out IPAddress a))
            {
                fixedAddress = a;
            }
            else if (line == "}" && fixedAddress is not null && (iface is null || iface == interfaceName))
            {
                // NetworkManager's per-interface dhclient files omit the interface line.
                if (iface == interfaceName || Path.GetFileName(path).EndsWith($"-{interfaceName}.lease", StringComparison.Ordinal))
                {
                    yield return fixedAddress;
                }
            }
        }
    }

    private static IEnumerable<string> Files(string directory, string pattern)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
