using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Testing;
using HvUtils.Vss.Freezing;

namespace HvUtils.Vss.Tests;

/// <summary>The channel's freeze life cycle against a fake FIFREEZE (no real filesystem is touched here).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VssChannelTests : IDisposable
{
    private static readonly byte[] FreezeRequest = Convert.FromHexString("050000000000000000000000");
    private static readonly byte[] ThawRequest = Convert.FromHexString("060000000000000000000000");
    private static readonly uint[] Statuses = [HvStatus.S_OK, HvStatus.E_FAIL];

    private readonly TempDirectory _dir = new();
    private readonly FakeDevices _devices = FakeDevices.Create();
    private readonly ListLogger _logger = new();
    private readonly FreezeMarker _marker;
    private readonly FakeFreezeControl _control;
    private VssChannel? _channel;

    public VssChannelTests()
    {
        File.WriteAllText(_dir.Combine("mountinfo"), """
            1 0 254:1 / / rw - ext4 /dev/sda1 rw
            2 1 254:2 / /a rw - ext4 /dev/sda2 rw
            3 1 254:3 / /b rw - ext4 /dev/sda3 rw
            4 1 0:20 / /tmp rw - tmpfs tmpfs rw
            """);
        _marker = new FreezeMarker(_dir.Combine("run"));
        _control = new FakeFreezeControl(_marker);
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _devices.Dispose();
        _dir.Dispose();
    }

    private VssChannel Channel(Action<VssOptions>? configure = null)
    {
        var options = new VssOptions { MountInfoPath = _dir.Combine("mountinfo"), HooksDirectory = _dir.Combine("hooks") };
        configure?.Invoke(options);
        _channel = new VssChannel(options, _dir.Combine("run"), _logger, null, _control, _devices);
        return _channel;
    }

    private static (uint Status, string Outcome) Send(VssChannel channel, byte[] request)
    {
        byte[] reply = new byte[12];
        HandledMessage handled = channel.Handle(request, reply);
        uint status = BitConverter.ToUInt32(reply, 0);
        Assert.Contains(status, Statuses);
        return (status, handled.Outcome);
    }

    [Fact]
    public void Freeze_marks_each_path_before_its_FIFREEZE_holds_logs_and_thaw_unwinds_everything()
    {
        VssChannel channel = Channel();
        Assert.Equal((HvStatus.S_OK, "success"), Send(channel, FreezeRequest));
        Assert.Equal(["freeze /a", "freeze /b", "freeze /"], _control.Calls);
        Assert.Equal([["/a"], ["/a", "/b"], ["/a", "/b", "/"]], _control.MarkerAtFreeze);
        Assert.Equal(["/a", "/b", "/"], channel.FrozenMounts);
        Assert.True(channel.Log.Holding);
        int linesWhileFrozen = _logger.Lines.Count;
        Assert.DoesNotContain(_logger.Lines, l => l.Contains("froze /a", StringComparison.Ordinal));

        Assert.Equal((HvStatus.S_OK, "success"), Send(channel, ThawRequest));
        Assert.Equal(["thaw /", "thaw /b", "thaw /a"], _control.Calls[3..]);
        Assert.Empty(_marker.Read());
        Assert.Empty(channel.FrozenMounts);
        Assert.False(channel.Log.Holding);
        Assert.Contains(_logger.Lines.Skip(linesWhileFrozen), l => l.Contains("froze /a", StringComparison.Ordinal) && l.Contains("held while frozen", StringComparison.Ordinal));
    }

    [Fact]
    public void First_freeze_failure_thaws_what_was_frozen_and_answers_HV_E_FAIL()
    {
        _control.FreezeErrors["/b"] = Errno.EIO;
        VssChannel channel = Channel();
        Assert.Equal((HvStatus.E_FAIL, "failure"), Send(channel, FreezeRequest));
        Assert.Equal(["freeze /a", "freeze /b", "thaw /a"], _control.Calls);
        Assert.Empty(_control.Frozen);
        Assert.Empty(_marker.Read());
        Assert.False(channel.Log.Holding);
        Assert.Contains(_logger.Lines, l => l.Contains("FIFREEZE of /b failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AlreadyFrozenPolicy.Adopt, HvStatus.S_OK, true)]
    [InlineData(AlreadyFrozenPolicy.Leave, HvStatus.S_OK, false)]
    [InlineData(AlreadyFrozenPolicy.Fail, HvStatus.E_FAIL, false)]
    public void A_filesystem_frozen_by_someone_else_follows_the_policy(AlreadyFrozenPolicy policy, uint status, bool thawedByUs)
    {
        _control.Frozen.Add("/b");
        VssChannel channel = Channel(o => o.AlreadyFrozen = policy);
        Assert.Equal(status, Send(channel, FreezeRequest).Status);
        Send(channel, ThawRequest);
        Assert.Equal(!thawedByUs, _control.Frozen.Contains("/b"));
        Assert.Equal(policy != AlreadyFrozenPolicy.Fail, _control.Calls.Contains("freeze /"));
    }

    [Fact]
    public void The_deadline_thaws_by_itself_and_the_late_THAW_is_told_the_freeze_ended_early()
    {
        VssChannel channel = Channel(o => o.FreezeDeadline = TimeSpan.FromMilliseconds(50));
        Send(channel, FreezeRequest);
        ChannelEventSource timer = Assert.Single(channel.EventSources);
        WaitReadable(timer.Fd);
        timer.OnReady();
        Assert.Empty(_control.Frozen);
        Assert.Empty(_marker.Read());
        Assert.Contains(_logger.Lines, l => l.Contains("no THAW within the freeze deadline", StringComparison.Ordinal));
        Assert.Equal((HvStatus.E_FAIL, "deadline_expired"), Send(channel, ThawRequest));
        Assert.Equal((HvStatus.S_OK, "success"), Send(channel, ThawRequest));
    }

    [Fact]
    public void A_failed_thaw_is_retried_with_back_off_and_FREEZE_is_refused_meanwhile()
    {
        VssChannel channel = Channel();
        Send(channel, FreezeRequest);
        _control.ThawErrors["/a"] = Errno.EIO;
        Assert.Equal((HvStatus.E_FAIL, "failure"), Send(channel, ThawRequest));
        Assert.True(channel.ThawPending);
        Assert.Equal(["/a"], channel.FrozenMounts);
        Assert.Equal(["/a", "/b", "/"], _marker.Read());
        Assert.Equal((HvStatus.E_FAIL, "refused"), Send(channel, FreezeRequest));
        Assert.Contains(_logger.Lines, l => l.StartsWith("Critical:", StringComparison.Ordinal) && l.Contains("still frozen (/a)", StringComparison.Ordinal));

        _control.ThawErrors.Clear();
        ChannelEventSource timer = Assert.Single(channel.EventSources);
        WaitReadable(timer.Fd);
        timer.OnReady();
        Assert.False(channel.ThawPending);
        Assert.Empty(_control.Frozen);
        Assert.Empty(_marker.Read());
        Assert.Equal((HvStatus.S_OK, "success"), Send(channel, FreezeRequest));
    }

    [Fact]
    public void A_connection_reset_or_a_malformed_message_while_frozen_thaws()
    {
        VssChannel channel = Channel();
        Send(channel, FreezeRequest);
        channel.OnConnectionReset();
        Assert.Empty(_control.Frozen);
        Send(channel, FreezeRequest);
        Assert.True(channel.Handle(new byte[5], new byte[12]).ResetDevice);
        Assert.Empty(_control.Frozen);
        Assert.Empty(_marker.Read());
    }

    [Fact]
    public void Start_up_thaws_what_a_dead_predecessor_listed()
    {
        _marker.Append("/a");
        _marker.Append("/gone");
        _control.Frozen.Add("/a");
        Channel();
        Assert.Equal(["thaw /gone", "thaw /a"], _control.Calls);
        Assert.Empty(_control.Frozen);
        Assert.Empty(_marker.Read());
    }

    [Fact]
    public void A_failing_freeze_hook_aborts_before_anything_is_frozen_unless_best_effort()
    {
        HookScripts.Write(_dir.Combine("hooks"), "10-fail", "exit 3");
        Assert.Equal((HvStatus.E_FAIL, "hook_failure"), Send(Channel(), FreezeRequest));
        Assert.Empty(_control.Calls);
        _channel!.Dispose();
        Assert.Equal((HvStatus.S_OK, "success"), Send(Channel(o => o.HooksBestEffort = true), FreezeRequest));
        Assert.Equal(3, _control.Frozen.Count);
    }

    private static void WaitReadable(int fd)
    {
        // The timerfd is a real descriptor: wait until it is readable, as the runner's epoll would.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Native.TimerFdRead(fd) == -Errno.EAGAIN)
        {
            Assert.True(DateTime.UtcNow < deadline, "timer never fired");
            Thread.Sleep(10);
        }
        // TimerFdRead consumed the expiry; re-arm a 1 ns shot so OnReady sees it as the runner would.
        Native.TimerFdSetOneShot(fd, TimeSpan.FromTicks(1));
        Thread.Sleep(5);
    }
}
