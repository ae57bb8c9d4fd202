using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Kvp;
using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// The host's GET/SET_IP_INFO through the simulated KVP device over a real SEQPACKET socket, answered from
/// inside the namespace by a minimal stand-in for the channel's IIpInfoProvider adapter (the real adapter
/// belongs to the KVP channel): the strings NetworkInfoService returns reach the host intact.
/// </summary>
public sealed class IpInfoThroughSimulatorTests(GuestNetwork network) : IClassFixture<GuestNetwork>, IDisposable
{
    private readonly TempDirectory _dir = new();

    [RootFact("network namespaces")]
    public async Task Host_sees_the_guest_addresses_and_the_set_status()
    {
        network.Build();
        KvpOptions options = network.Options(_dir.Path);
        options.Network.Backend = "dry-run";
        await using var device = new KvpDevice(_dir.Combine("hv_kvp"));
        device.Start();
        Task guest = Task.Run(() => network.Namespace.Run(() => AnswerRequests(device.Path, options, count: 3)));
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(10));
        var host = new IpInfoHost(device) { Timeout = TimeSpan.FromSeconds(10) };

        HostIpInfo get = await host.GetAsync(GuestNetwork.Eth0Mac);
        uint set = await host.SetAsync(new HostIpInfo(0, GuestNetwork.Eth0Guid, 0, 0, "10.1.0.9", "255.255.255.0", "10.1.0.1", "10.1.0.53"));
        uint setUnknown = await host.SetAsync(new HostIpInfo(0, "{00000000-0000-0000-0000-000000000000}", 0, 1, "", "", "", ""));
        await guest;

        Assert.Equal(new HostIpInfo(HvStatus.S_OK, GuestNetwork.Eth0Mac, 3, 0, "10.1.0.5;10.1.0.6;fd01::5",
            "255.255.255.0;255.255.0.0;/64", "10.1.0.1;fd01::1;", ""), get);
        Assert.Equal(HvStatus.S_OK, set);
        Assert.Equal(HvStatus.GUID_NOTFOUND, setUnknown);
    }

    private static int AnswerRequests(string socket, KvpOptions options, int count)
    {
        var info = new NetworkInfoService(Options.Create(options));
        var config = new IpConfigurationService(Options.Create(options));
        int fd = Native.ConnectSeqPacket(socket);
        Assert.True(fd >= 0, $"connect: {fd}");
        try
        {
            byte[] message = new byte[7432];
            message[0] = 100;
            Assert.Equal(7432, Native.Write(fd, message));
            Assert.Equal(7432, Native.ReceiveMessage(fd, message));
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(7432, Native.ReceiveMessage(fd, message));
                byte[] reply = new byte[7432];
                if (message[0] == 4)
                {
                    IpInfoResult r = info.GetIpInfo(Text(message, 4, 256));
                    BinaryPrimitives.WriteUInt32LittleEndian(reply, r.Status);
                    Put(reply, 4, r.AdapterId);
                    reply[260] = r.AddressFamily;
                    reply[261] = r.DhcpEnabled;
                    Put(reply, 262, r.IpAddresses);
                    Put(reply, 2310, r.SubNets);
                    Put(reply, 4358, r.Gateways);
                    Put(reply, 5382, r.DnsServers);
                }
                else
                {
                    IpConfigurationResult r = config.SetIpInfo(Text(message, 4, 256), message[261], Text(message, 262, 2048),
                        Text(message, 2310, 2048), Text(message, 4358, 1024), Text(message, 5382, 2048));
                    BinaryPrimitives.WriteUInt32LittleEndian(reply, r.Status);
                }
                Assert.Equal(7432, Native.Write(fd, reply));
            }
            return 0;
        }
        finally
        {
            Native.Close(fd);
        }
    }

    private static string Text(byte[] m, int offset, int size)
    {
        ReadOnlySpan<byte> f = m.AsSpan(offset, size);
        int nul = f.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? f : f[..nul]);
    }

    private static void Put(byte[] m, int offset, string text) => Encoding.UTF8.GetBytes(text, m.AsSpan(offset));

    public void Dispose() => _dir.Dispose();
}
