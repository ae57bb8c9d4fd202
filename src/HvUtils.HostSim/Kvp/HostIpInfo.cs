using System.Buffers.Binary;
using System.Text;

namespace HvUtils.HostSim.Kvp;

/// <summary>The host's view of one hv_kvp_ip_msg (kvp.md §2.9): UTF-16 strings, flags and, in replies, a status.</summary>
public sealed record HostIpInfo(
    uint Status,
    string AdapterId,
    byte AddressFamily,
    byte DhcpEnabled,
    string IpAddresses,
    string SubNets,
    string Gateways,
    string DnsServers);

/// <summary>
/// The kernel's re-packing of GET/SET_IP_INFO between the host's hv_kvp_ip_msg and the daemon's 7432-byte
/// hv_kvp_msg (transport.md §10, kvp.md §2.8): field offsets, UTF-16 ⇄ UTF-8 with the kernel's limits,
/// and HV_E_FAIL for a reply the kernel cannot convert.
/// </summary>
public static class IpInfoConversion
{
    public const int MessageSize = 7432;
    public const byte OpGetIpInfo = 4;
    public const byte OpSetIpInfo = 5;
    public const uint HvEFail = 0x80004005;

    // Daemon-side offsets (kvp.md §2.8) and the kernel's per-field limits (transport.md §10).
    private const int AdapterIdAt = 4, AddrFamilyAt = 260, DhcpAt = 261, IpAt = 262, SubNetAt = 2310, GatewayAt = 4358, DnsAt = 5382;
    private const int AdapterIdUnits = 128, IpUnits = 1024, GatewayUnits = 512;

    /// <summary>A GET_IP_INFO request as the daemon receives it: the adapter id (MAC), everything else zero.</summary>
    public static byte[] GetRequest(string mac, byte addressFamily = 0)
    {
        byte[] m = new byte[MessageSize];
        m[0] = OpGetIpInfo;
        ToDaemon(mac, AdapterIdUnits, m.AsSpan(AdapterIdAt, 256));
        m[AddrFamilyAt] = addressFamily;
        return m;
    }

    /// <summary>A SET_IP_INFO request as the daemon receives it (the host's <paramref name="info"/> minus its status).</summary>
    public static byte[] SetRequest(HostIpInfo info)
    {
        byte[] m = new byte[MessageSize];
        m[0] = OpSetIpInfo;
        ToDaemon(info.AdapterId, AdapterIdUnits, m.AsSpan(AdapterIdAt, 256));
        m[AddrFamilyAt] = info.AddressFamily;
        m[DhcpAt] = info.DhcpEnabled;
        ToDaemon(info.IpAddresses, IpUnits, m.AsSpan(IpAt, 2048));
        ToDaemon(info.SubNets, IpUnits, m.AsSpan(SubNetAt, 2048));
        ToDaemon(info.Gateways, GatewayUnits, m.AsSpan(GatewayAt, 1024));
        ToDaemon(info.DnsServers, IpUnits, m.AsSpan(DnsAt, 2048));
        return m;
    }

    /// <summary>
    /// What the host receives for a daemon reply: a non-zero status alone, or the strings converted to
    /// UTF-16 (cut at the host field sizes); invalid UTF-8 anywhere makes the kernel answer HV_E_FAIL.
    /// </summary>
    public static HostIpInfo HostReply(ReadOnlySpan<byte> reply)
    {
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(reply);
        if (status != 0)
        {
            return new HostIpInfo(status, "", 0, 0, "", "", "", "");
        }
        string? adapter = ToHost(reply.Slice(AdapterIdAt, 256), AdapterIdUnits);
        string? ip = ToHost(reply.Slice(IpAt, 2048), IpUnits);
        string? subnet = ToHost(reply.Slice(SubNetAt, 2048), IpUnits);
        string? gateway = ToHost(reply.Slice(GatewayAt, 1024), GatewayUnits);
        string? dns = ToHost(reply.Slice(DnsAt, 2048), IpUnits);
        if (adapter is null || ip is null || subnet is null || gateway is null || dns is null)
        {
            return new HostIpInfo(HvEFail, "", 0, 0, "", "", "", "");
        }
        return new HostIpInfo(0, adapter, reply[AddrFamilyAt], reply[DhcpAt], ip, subnet, gateway, dns);
    }

    /// <summary>utf16s_to_utf8s: whole characters only, at most <paramref name="maxBytes"/> bytes, unpaired surrogates dropped.</summary>
    public static int ToDaemon(string text, int maxBytes, Span<byte> field)
    {
        int written = 0;
        Span<byte> one = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                break;
            }
            int n;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                n = Encoding.UTF8.GetBytes(text.AsSpan(i, 2), one);
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                continue;
            }
            else
            {
                n = Encoding.UTF8.GetBytes(text.AsSpan(i, 1), one);
            }
            if (written + n > maxBytes || written + n >= field.Length)
            {
                break;
            }
            one[..n].CopyTo(field[written..]);
            written += n;
        }
        return written;
    }

    /// <summary>utf8s_to_utf16s of the bytes before the NUL, at most <paramref name="maxUnits"/>; null for invalid UTF-8.</summary>
    public static string? ToHost(ReadOnlySpan<byte> field, int maxUnits)
    {
        int nul = field.IndexOf((byte)0);
        try
        {
            string s = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(nul < 0 ? field : field[..nul]);
            return s.Length <= maxUnits ? s : s[..maxUnits];
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
