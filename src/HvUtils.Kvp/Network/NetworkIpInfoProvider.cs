namespace HvUtils.Kvp.Network;

/// <summary>
/// The KVP channel's GET/SET_IP_INFO (spec/kvp.md §7–8) answered by the network service:
/// the channel decodes and encodes the wire message, this passes the plain fields through.
/// </summary>
public sealed class NetworkIpInfoProvider(NetworkInfoService info, IpConfigurationService configuration) : IIpInfoProvider
{
    public IpInfo GetIpInfo(string adapterId, byte addressFamily)
    {
        IpInfoResult r = info.GetIpInfo(adapterId);
        return new IpInfo(r.Status, r.AdapterId, r.AddressFamily, r.DhcpEnabled, r.IpAddresses, r.SubNets, r.Gateways, r.DnsServers);
    }

    public uint SetIpInfo(IpInfo request) =>
        configuration.SetIpInfo(request.AdapterId, request.DhcpEnabled, request.IpAddresses, request.Subnets, request.Gateways, request.DnsServers).Status;
}
