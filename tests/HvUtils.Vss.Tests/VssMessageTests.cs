using HvUtils.Core.Channels;
using HvUtils.Testing;

namespace HvUtils.Vss.Tests;

/// <summary>Golden byte vectors for hv_vss_msg (spec/vss.md §2.4, §4, §5.1, §6) through the real channel.</summary>
public sealed class VssMessageTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeFreezeControl _control = new();
    private readonly VssChannel _channel;

    public VssMessageTests()
    {
        File.WriteAllText(_dir.Combine("mountinfo"), "");
        var options = new VssOptions { MountInfoPath = _dir.Combine("mountinfo"), HooksDirectory = _dir.Combine("hooks") };
        _channel = new VssChannel(options, _dir.Combine("run"), new ListLogger(), null, _control, null);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _dir.Dispose();
    }

    private (byte[] Reply, HandledMessage Handled) Send(params byte[] request)
    {
        byte[] reply = new byte[12];
        HandledMessage handled = _channel.Handle(request, reply);
        return (reply[..handled.ReplyLength], handled);
    }

    [Fact]
    public void Registration_is_REGISTER1_and_the_kernel_reply_is_81_00_00_00()
    {
        byte[] message = new byte[12];
        Array.Fill(message, (byte)0xEE);
        Assert.Equal(12, _channel.WriteRegistration(message));
        Assert.Equal(Convert.FromHexString("810000000000000000000000"), message);
        Assert.True(_channel.AcceptRegistrationReply([0x81, 0, 0, 0]));
        Assert.False(_channel.AcceptRegistrationReply([0x80, 0, 0, 0]));
        Assert.False(_channel.AcceptRegistrationReply([0x81, 0, 0, 0, 0]));
    }

    [Fact]
    public void Freeze_and_thaw_with_nothing_planned_answer_status_zero()
    {
        Assert.Equal(Convert.FromHexString("000000000000000000000000"), Send(Convert.FromHexString("050000000000000000000000")).Reply);
        Assert.Equal(Convert.FromHexString("000000000000000000000000"), Send(Convert.FromHexString("060000000000000000000000")).Reply);
    }

    [Fact]
    public void Hot_backup_answers_status_zero_with_the_rest_as_received()
    {
        (byte[] reply, HandledMessage handled) = Send(Convert.FromHexString("0200000000000000AABBCCDD"));
        Assert.Equal(Convert.FromHexString("0000000000000000AABBCCDD"), reply);
        Assert.Equal(new HandledMessage(12, "hot_backup", "success"), handled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(129)]
    [InlineData(255)]
    public void Operations_the_daemon_does_not_implement_get_HV_E_FAIL(byte op)
    {
        byte[] request = new byte[12];
        request[0] = op;
        (byte[] reply, HandledMessage handled) = Send(request);
        Assert.Equal(Convert.FromHexString("054000800000000000000000"), reply);
        Assert.False(handled.ResetDevice);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(11)]
    public void A_short_message_sends_nothing_and_resets_the_device(int length)
    {
        (byte[] reply, HandledMessage handled) = Send(new byte[length]);
        Assert.Empty(reply);
        Assert.True(handled.ResetDevice);
        Assert.Equal("invalid_message", handled.Outcome);
    }
}
