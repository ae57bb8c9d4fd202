using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Kvp;

/// <summary>The host's GET/SET_IP_INFO through the simulated KVP device, with the kernel's conversions.</summary>
public sealed class IpInfoHost(KvpDevice device)
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Asks the guest for the IP configuration of the NIC with <paramref name="mac"/> (host format: upper case, colons).</summary>
    public async Task<HostIpInfo> GetAsync(string mac) =>
        IpInfoConversion.HostReply(await device.RequestAsync(IpInfoConversion.GetRequest(mac), Timeout));

    /// <summary>
    /// Pushes an IP configuration to the NIC with VMBus device id <c>info.AdapterId</c>; returns the status
    /// the host sees (the kernel reads only the status of a SET_IP_INFO reply, transport.md §10.2).
    /// </summary>
    public async Task<uint> SetAsync(HostIpInfo info) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(
            await device.RequestAsync(IpInfoConversion.SetRequest(info), Timeout));
}
