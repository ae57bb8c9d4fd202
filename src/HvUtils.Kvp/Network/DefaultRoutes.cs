using System.Globalization;
using System.Net;

namespace HvUtils.Kvp.Network;

/// <summary>
/// Default-route gateways of one interface from <c>/proc/net/route</c> and <c>/proc/net/ipv6_route</c>
/// (the rule for gate_way: default routes whose device is the matched interface; kvp.md §7 describes
/// the C daemon's `ip route` parsing, which this replaces without forking).
/// </summary>
public sealed class DefaultRoutes(string procNetPath)
{
    private const uint RTF_UP = 0x1;
    private const uint RTF_GATEWAY = 0x2;
    private const uint RTF_REJECT = 0x200;

    /// <summary>IPv4 gateways in file order, then IPv6 ones, without duplicates.</summary>
    public List<IPAddress> Gateways(string interfaceName)
    {
        var result = new List<IPAddress>();
        AddIPv4(interfaceName, result);
        AddIPv6(interfaceName, result);
        return result;
    }

    // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT; addresses are the
    // in_addr printed as a host-order u32 (%08X), i.e. byte-reversed on little-endian machines.
    private void AddIPv4(string interfaceName, List<IPAddress> into)
    {
        foreach (string line in Lines("route").Skip(1))
        {
            string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || f[0] != interfaceName || f[1] != "00000000" || f[7] != "00000000"
                || !TryHex(f[3], out uint flags) || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)
                || (flags & RTF_REJECT) != 0 || !TryHex(f[2], out uint raw) || raw == 0)
            {
                continue;
            }
            byte[] bytes = BitConverter.GetBytes(raw);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes);
            }
            AddOnce(into, new IPAddress(bytes));
        }
    }

    // dest(32 hex) dest_plen src src_plen next_hop metric refcnt use flags iface.
    private void AddIPv6(string interfaceName, List<IPAddress> into)
    {
        foreach (string line in Lines("ipv6_route"))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[9] != interfaceName || f[1] != "00" || f[4].Length != 32
                || !TryHex(f[8], out uint flags) || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)
                || (flags & RTF_REJECT) != 0)
            {
                continue;
            }
            if (!f[4].All(char.IsAsciiHexDigit))
            {
                continue;
            }
            var gateway = new IPAddress(Convert.FromHexString(f[4]));
            if (!gateway.Equals(IPAddress.IPv6Any))
            {
                AddOnce(into, gateway);
            }
        }
    }

    private static void AddOnce(List<IPAddress> into, IPAddress address)
    {
        if (!into.Contains(address))
        {
            into.Add(address);
        }
    }

    private static bool TryHex(string text, out uint value) =>
        uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private IEnumerable<string> Lines(string file)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(procNetPath, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
