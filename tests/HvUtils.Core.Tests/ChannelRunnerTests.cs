using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using HvUtils.Core.Runtime;
using HvUtils.HostSim.Devices;
using HvUtils.Testing;

namespace HvUtils.Core.Tests;

/// <summary>The runner's device lifecycle against the simulator's real sockets, inotify and epoll.</summary>
public sealed class ChannelRunnerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ListLoggerFactory _logs = new();
    private readonly ChannelRegistry _registry = new();
    private KvpDevice? _device;
    private TestChannel _channel = null!;
    private ChannelRunner _runner = null!;

    private string DevicePath => _dir.Combine("dev", "vmbus", "hv_kvp");

    public Task InitializeAsync()
    {
        _channel = new TestChannel(DevicePath);
        _runner = new ChannelRunner(_channel, _registry, _logs);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _runner.StopAsync(CancellationToken.None);
        _runner.Dispose();
        if (_device is not null)
        {
            await _device.DisposeAsync();
        }
        _dir.Dispose();
    }

    private async Task<KvpDevice> StartDeviceAsync()
    {
        _device = new KvpDevice(DevicePath);
        _device.Start();
        return _device;
    }

    [Fact]
    public async Task Registers_and_answers_requests_through_the_device()
    {
        KvpDevice device = await StartDeviceAsync();
        await _runner.StartAsync(CancellationToken.None);
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        byte[] request = new byte[TestChannel.Size];
        request[0] = 3;
        request[100] = 0x42;
        byte[] reply = await device.RequestAsync(request, TimeSpan.FromSeconds(5));
        Assert.Equal(TestChannel.Size, reply.Length);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(reply));
        Assert.Equal(0x42, reply[100]);
        Assert.Equal(ChannelState.Registered, _runner.Status.State);
        Assert.Equal(1, _runner.Status.Messages);
        Assert.Equal("echo", _runner.Status.LastOperation);
    }

    [Fact]
    public async Task Waits_for_a_device_that_appears_late_without_polling()
    {
        await _runner.StartAsync(CancellationToken.None);
        await _runner.Settled.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ChannelState.Waiting, _runner.Status.State);
        Assert.Contains(DevicePath, _runner.Status.Detail);
        // Not even the parent directory exists yet: the watch sits on an ancestor.
        Assert.False(Directory.Exists(Path.GetDirectoryName(DevicePath)));
        KvpDevice device = await StartDeviceAsync();
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        Assert.Equal(1, device.Connections);
        Assert.Single(_logs.Lines, l => l.Contains("waiting for"));
    }

    [Fact]
    public async Task Re_registers_within_one_second_after_the_simulator_restarts()
    {
        KvpDevice device = await StartDeviceAsync();
        await _runner.StartAsync(CancellationToken.None);
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        await device.DisposeAsync();
        _device = null;
        await Task.Delay(200);
        var sw = Stopwatch.StartNew();
        KvpDevice restarted = await StartDeviceAsync();
        await restarted.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(1));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"re-registered after {sw.ElapsedMilliseconds} ms");
        Assert.True(_channel.Resets >= 1, "the channel was told its connection reset");
        Assert.Equal(1, _runner.Status.Reconnects);
    }

    [Fact]
    public async Task Reports_EBUSY_clearly_and_registers_once_the_other_holder_lets_go()
    {
        KvpDevice device = await StartDeviceAsync();
        using var holder = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        await holder.ConnectAsync(new UnixDomainSocketEndPoint(DevicePath));
        await device.WaitForStateAsync(DeviceState.DeviceInit, TimeSpan.FromSeconds(5));
        await _runner.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _runner.Status.Detail.Contains("in use by another process"), TimeSpan.FromSeconds(5));
        Assert.Equal(ChannelState.Waiting, _runner.Status.State);
        Assert.Contains("hv_test_daemon", _runner.Status.Detail);
        await Task.Delay(1500);
        // Retried with back-off (≤ 500 ms) and logged once, not per attempt.
        Assert.InRange(device.RefusedOpeners, 2, 12);
        Assert.Single(_logs.Lines, l => l.Contains("in use by another process"));
        holder.Dispose();
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => _runner.Status.State == ChannelState.Registered, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stops_promptly_while_blocked_in_epoll_wait()
    {
        KvpDevice device = await StartDeviceAsync();
        await _runner.StartAsync(CancellationToken.None);
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        var sw = Stopwatch.StartNew();
        await _runner.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(ChannelState.Stopped, _runner.Status.State);
        await device.WaitForStateAsync(DeviceState.Closed, TimeSpan.FromSeconds(2));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Stops_promptly_while_waiting_for_a_device()
    {
        await _runner.StartAsync(CancellationToken.None);
        await _runner.Settled.WaitAsync(TimeSpan.FromSeconds(5));
        await _runner.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(ChannelState.Stopped, _runner.Status.State);
    }

    [Fact]
    public async Task A_failing_handler_gets_the_protocol_error_status_and_the_channel_keeps_serving()
    {
        _channel.ThrowWhen = r => r[0] == 9;
        KvpDevice device = await StartDeviceAsync();
        await _runner.StartAsync(CancellationToken.None);
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        byte[] bad = new byte[TestChannel.Size];
        bad[0] = 9;
        bad[50] = 7;
        byte[] reply = await device.RequestAsync(bad, TimeSpan.FromSeconds(5));
        Assert.Equal(0x80004005u, BinaryPrimitives.ReadUInt32LittleEndian(reply));
        Assert.Equal(0, reply[50]);
        byte[] good = new byte[TestChannel.Size];
        reply = await device.RequestAsync(good, TimeSpan.FromSeconds(5));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(reply));
        Assert.Equal(1, device.Connections);
    }

    [Fact]
    public async Task A_wrong_registration_reply_backs_off_instead_of_spinning()
    {
        string path = DevicePath;
        await using var liar = new LyingKvpDevice(path);
        liar.Start();
        await _runner.StartAsync(CancellationToken.None);
        await Task.Delay(2000);
        // The C daemon reopens ~6,600 times a second here (quirks.md); back-off caps us near 2/s.
        Assert.InRange(liar.Connections, 2, 15);
        Assert.Equal(ChannelState.Error, _runner.Status.State);
        Assert.Contains("registration", _runner.Status.Detail);
    }

    [Fact]
    public async Task The_steady_state_message_path_allocates_nothing()
    {
        KvpDevice device = await StartDeviceAsync();
        await _runner.StartAsync(CancellationToken.None);
        await device.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        byte[] request = new byte[TestChannel.Size];
        request[0] = 0xA5;
        for (int i = 0; i < 3000; i++)
        {
            request[1] = (byte)(i == 1000 ? 1 : i == 2999 ? 2 : 0);
            await device.RequestAsync(request, TimeSpan.FromSeconds(5));
        }
        long allocated = _channel.AllocationSamples[2] - _channel.AllocationSamples[1];
        Assert.True(allocated == 0, $"{allocated} bytes allocated on the channel thread over 1,999 messages");
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not reached; runner: {_runner.Status}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>A kernel that answers registration with the wrong opcode.</summary>
    private sealed class LyingKvpDevice(string path) : SimulatedDevice("kvp", path)
    {
        protected override byte[]? Register(ReadOnlySpan<byte> message) => new byte[TestChannel.Size];

        protected override bool IsValidReplyLength(int length) => length >= TestChannel.Size;
    }
}
