using HvUtils.Core.Transport;
using HvUtils.HostSim.Devices;
using HvUtils.Testing;

namespace HvUtils.Core.Tests;

public sealed class PathDeviceEndpointTests
{
    [Fact]
    public void A_missing_device_is_missing_not_an_error()
    {
        using var dir = new TempDirectory();
        DeviceOpenResult r = new PathDeviceEndpoint(dir.Combine("vmbus", "hv_kvp")).TryOpen();
        Assert.Equal(DeviceOpenOutcome.Missing, r.Outcome);
        Assert.Contains("does not exist", r.Detail);
    }

    [Fact]
    public void A_regular_file_is_refused_with_a_clear_reason()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("hv_kvp");
        File.WriteAllText(path, "");
        DeviceOpenResult r = new PathDeviceEndpoint(path).TryOpen();
        Assert.Equal(DeviceOpenOutcome.Failed, r.Outcome);
        Assert.Contains("neither a character device nor a Unix socket", r.Detail);
    }

    [Fact]
    public void A_character_device_is_opened_as_a_char_device()
    {
        DeviceOpenResult r = new PathDeviceEndpoint("/dev/null").TryOpen();
        Assert.Equal(DeviceOpenOutcome.Opened, r.Outcome);
        using IDeviceTransport t = r.Transport!;
        Assert.IsType<CharDeviceTransport>(t);
        t.Write(new byte[12]);
        Assert.Throws<DeviceIoException>(() => t.Read(new byte[12]));
    }

    [Fact]
    public async Task A_unix_socket_is_connected_as_seqpacket()
    {
        using var dir = new TempDirectory();
        await using var device = new VssDevice(dir.Combine("hv_vss"));
        device.Start();
        DeviceOpenResult r = new PathDeviceEndpoint(device.Path).TryOpen();
        Assert.Equal(DeviceOpenOutcome.Opened, r.Outcome);
        using IDeviceTransport t = r.Transport!;
        Assert.IsType<SeqPacketTransport>(t);
        await device.WaitForStateAsync(DeviceState.DeviceInit, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_socket_file_without_a_listener_fails_so_it_is_retried()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("hv_kvp");
        // Bound but not listening: connect() fails with ECONNREFUSED, as for a simulator that is starting or gone.
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Seqpacket, System.Net.Sockets.ProtocolType.Unspecified);
        s.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        DeviceOpenResult r = new PathDeviceEndpoint(path).TryOpen();
        Assert.Equal(DeviceOpenOutcome.Failed, r.Outcome);
    }
}
