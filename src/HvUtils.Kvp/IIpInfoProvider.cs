using HvUtils.Core.Channels;

namespace HvUtils.Kvp;

/// <summary>
/// GET_IP_INFO / SET_IP_INFO logic (spec/kvp.md §7–8), kept out of the channel so the
/// network service can supply it; the channel owns only the wire codec. Called on the
/// channel thread, one request at a time.
/// </summary>
public interface IIpInfoProvider
{
    /// <summary>The configuration of the NIC whose MAC is <paramref name="adapterId"/>.</summary>
    IpInfo GetIpInfo(string adapterId, byte addressFamily);

    /// <summary>Applies <paramref name="request"/>; returns the status for the host.</summary>
    uint SetIpInfo(IpInfo request);
}

/// <summary>
/// The body of a GET/SET_IP_INFO message (<c>hv_kvp_ipaddr_value</c>, spec/kvp.md §2.7)
/// as plain values: lists are the <c>;</c>-separated UTF-8 text of the wire fields.
/// </summary>
public sealed record IpInfo(
    uint Status,
    string AdapterId,
    byte AddressFamily,
    byte DhcpEnabled,
    string IpAddresses,
    string Subnets,
    string Gateways,
    string DnsServers)
{
    public static IpInfo Failure(string adapterId) => new(HvStatus.E_FAIL, adapterId, 0, 0, "", "", "", "");
}

/// <summary>The default until the network service registers its own: every IP request answers HV_E_FAIL, as the kernel does with no daemon.</summary>
public sealed class UnavailableIpInfoProvider : IIpInfoProvider
{
    public IpInfo GetIpInfo(string adapterId, byte addressFamily) => IpInfo.Failure(adapterId);

    public uint SetIpInfo(IpInfo request) => HvStatus.E_FAIL;
}
