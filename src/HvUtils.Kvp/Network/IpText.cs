using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HvUtils.Kvp.Network;

/// <summary>
/// Address text the way the C daemon reads and writes it (inet_pton / inet_ntop, kvp.md §7, §8.4):
/// IPAddress.TryParse alone is too lenient ("1.2.3", "0x7f.1", "::1%eth0", "[::1]" all parse).
/// </summary>
public static class IpText
{
    /// <summary>inet_pton(AF_INET): exactly four decimal octets, no leading zeros, nothing else.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> octets = stackalloc byte[4];
        int part = 0;
        int i = 0;
        while (part < 4)
        {
            int start = i;
            int value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                value = value * 10 + (text[i] - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }
            octets[part++] = (byte)value;
            if (part < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }
                i++;
            }
        }
        if (i != text.Length)
        {
            return false;
        }
        address = new IPAddress(octets);
        return true;
    }

    /// <summary>inet_pton(AF_INET6): hex groups, colons and an optional trailing dotted quad; no zone, no brackets.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (text.Length < 2 || text.Length > 45 || text.IndexOf(':') < 0)
        {
            return false;
        }
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }
        int lastColon = text.LastIndexOf(':');
        if (text[(lastColon + 1)..].Contains('.') && !TryParseIPv4(text[(lastColon + 1)..], out _))
        {
            return false;
        }
        return IPAddress.TryParse(text, out IPAddress? parsed)
            && parsed.AddressFamily == AddressFamily.InterNetworkV6
            && (address = parsed) is not null;
    }

    /// <summary>The family the C daemon's ip_version_check gives the text, or null for neither.</summary>
    public static IPAddress? ParseEither(ReadOnlySpan<char> text) =>
        TryParseIPv4(text, out IPAddress v4) ? v4 : TryParseIPv6(text, out IPAddress v6) ? v6 : null;

    /// <summary>inet_ntop text: dotted quad, or RFC 5952 compressed IPv6 without a zone.</summary>
    public static string Format(IPAddress address) =>
        address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId == 0
            ? address.ToString()
            : new IPAddress(address.GetAddressBytes()).ToString();

    /// <summary>The ifcfg form of an IPv6 address: 8 groups of 4 lower-case hex digits (kvp.md §8.4).</summary>
    public static string Expand(IPAddress v6)
    {
        byte[] b = v6.GetAddressBytes();
        var s = new StringBuilder(39);
        for (int i = 0; i < 16; i += 2)
        {
            if (i > 0)
            {
                s.Append(':');
            }
            s.Append(b[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            s.Append(b[i + 1].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }

    /// <summary>Prefix length of a contiguous mask, or -1 when the bits are not contiguous.</summary>
    public static int PrefixOfMask(IPAddress mask)
    {
        int prefix = 0;
        bool ended = false;
        foreach (byte b in mask.GetAddressBytes())
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool set = (b >> bit & 1) != 0;
                if (set && ended)
                {
                    return -1;
                }
                if (set)
                {
                    prefix++;
                }
                else
                {
                    ended = true;
                }
            }
        }
        return prefix;
    }

    /// <summary>Dotted-quad netmask of an IPv4 prefix length (GET sub_net, kvp.md §7).</summary>
    public static string IPv4Mask(int prefix)
    {
        uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return $"{mask >> 24}.{mask >> 16 & 0xff}.{mask >> 8 & 0xff}.{mask & 0xff}";
    }
}
