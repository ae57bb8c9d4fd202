using HvUtils.Core.Interop;
using HvUtils.Kvp;
using HvUtils.Kvp.Auto;

namespace HvUtils.Fuzz.Kvp;

/// <summary>AUTO sources that never look at this machine (copied in spirit from the KVP test kit).</summary>
internal sealed class FixedHostName : IHostNameSource
{
    public int WatchFd { get; } = Native.EventFd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);

    public uint WatchEvents => Native.EPOLLIN;

    public string FullyQualifiedDomainName() => "fuzz.contoso.local";

    public void Acknowledge() => Native.EventFdDrain(WatchFd);

    public void Dispose() => Native.Close(WatchFd);
}

internal sealed class FixedAddresses : INetworkAddressSource
{
    public int WatchFd => -1;

    public (string IPv4, string IPv6) Addresses() => ("10.0.0.4", "fe80::1");

    public void Acknowledge()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>GET/SET_IP_INFO without touching network configuration: fixed answers the oracle knows.</summary>
internal sealed class FixedIpInfo : IIpInfoProvider
{
    public const uint SetStatus = 0x80041002;

    public IpInfo GetIpInfo(string adapterId, byte addressFamily) =>
        new(0, adapterId, addressFamily, 1, "10.0.0.4", "255.255.255.0", "10.0.0.1", "10.0.0.2");

    public uint SetIpInfo(IpInfo request) => SetStatus;
}
