using HvUtils.Core.Channels;

namespace HvUtils.Kvp.Wire;

/// <summary>The <c>body.kvp_ip_val</c> fields of <c>hv_kvp_msg</c> (spec/kvp.md §2.7–2.8) ⇄ <see cref="IpInfo"/>.</summary>
public static class KvpIpInfoCodec
{
    /// <summary>Decodes a GET/SET_IP_INFO request's body (status is not part of a request: 0).</summary>
    public static IpInfo Read(ReadOnlySpan<byte> message) => new(
        HvStatus.S_OK,
        Utf8Text.ReadString(message.Slice(KvpLayout.AdapterId, KvpLayout.AdapterIdSize)),
        message[KvpLayout.AddressFamily],
        message[KvpLayout.DhcpEnabled],
        Utf8Text.ReadString(message.Slice(KvpLayout.IpAddress, KvpLayout.IpAddressSize)),
        Utf8Text.ReadString(message.Slice(KvpLayout.Subnet, KvpLayout.SubnetSize)),
        Utf8Text.ReadString(message.Slice(KvpLayout.Gateway, KvpLayout.GatewaySize)),
        Utf8Text.ReadString(message.Slice(KvpLayout.DnsAddress, KvpLayout.DnsAddressSize)));

    /// <summary>
    /// Writes a GET_IP_INFO reply: status, and on success every field the kernel reads
    /// (spec/kvp.md §3 table), each NUL-terminated UTF-8 truncated to its field.
    /// </summary>
    public static int Write(Span<byte> reply, IpInfo info)
    {
        if (info.Status == HvStatus.S_OK)
        {
            WriteFields(reply, info);
        }
        return KvpReply.Status(reply, info.Status);
    }

    /// <summary>Encodes a request body (used by the simulator and the tests).</summary>
    public static void WriteRequest(Span<byte> message, IpInfo info) => WriteFields(message, info);

    private static void WriteFields(Span<byte> message, IpInfo info)
    {
        Utf8Text.WriteString(info.AdapterId, message.Slice(KvpLayout.AdapterId, KvpLayout.AdapterIdSize));
        message[KvpLayout.AddressFamily] = info.AddressFamily;
        message[KvpLayout.DhcpEnabled] = info.DhcpEnabled;
        Utf8Text.WriteString(info.IpAddresses, message.Slice(KvpLayout.IpAddress, KvpLayout.IpAddressSize));
        Utf8Text.WriteString(info.Subnets, message.Slice(KvpLayout.Subnet, KvpLayout.SubnetSize));
        Utf8Text.WriteString(info.Gateways, message.Slice(KvpLayout.Gateway, KvpLayout.GatewaySize));
        Utf8Text.WriteString(info.DnsServers, message.Slice(KvpLayout.DnsAddress, KvpLayout.DnsAddressSize));
    }
}
