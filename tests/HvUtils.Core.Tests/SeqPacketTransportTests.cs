using HvUtils.Core.Interop;
using HvUtils.Core.Transport;

namespace HvUtils.Core.Tests;

/// <summary>The simulator transport behaves like the char device on real SEQPACKET socketpairs (design.md).</summary>
public sealed class SeqPacketTransportTests : IDisposable
{
    private readonly int _peer;
    private readonly SeqPacketTransport _transport;

    public SeqPacketTransportTests()
    {
        Assert.Equal(0, Native.SeqPacketPair(out int a, out _peer));
        _transport = new SeqPacketTransport(a, "/test/hv_kvp");
    }

    public void Dispose()
    {
        _transport.Dispose();
        Native.Close(_peer);
    }

    [Fact]
    public void Each_read_returns_exactly_one_whole_7432_byte_message()
    {
        byte[] first = Pattern(7432, 1);
        byte[] second = Pattern(7432, 2);
        Assert.Equal(7432, Native.SendMessage(_peer, first));
        Assert.Equal(7432, Native.SendMessage(_peer, second));
        byte[] buffer = new byte[7432];
        Assert.Equal(7432, _transport.Read(buffer));
        Assert.Equal(first, buffer);
        Assert.Equal(7432, _transport.Read(buffer));
        Assert.Equal(second, buffer);
    }

    [Fact]
    public void Messages_of_different_sizes_keep_their_boundaries()
    {
        Native.SendMessage(_peer, Pattern(4, 7));
        Native.SendMessage(_peer, Pattern(12, 8));
        byte[] buffer = new byte[8192];
        Assert.Equal(4, _transport.Read(buffer));
        Assert.Equal(12, _transport.Read(buffer));
    }

    [Fact]
    public void A_message_larger_than_the_buffer_is_refused_with_EINVAL_like_the_char_device()
    {
        Native.SendMessage(_peer, Pattern(7433, 3));
        var ex = Assert.Throws<DeviceIoException>(() => _transport.Read(new byte[7432]));
        Assert.Equal(Errno.EINVAL, ex.Errno);
    }

    [Fact]
    public void Nothing_to_read_returns_zero_instead_of_blocking()
    {
        Assert.Equal(0, _transport.Read(new byte[16]));
    }

    [Fact]
    public void A_close_before_any_byte_is_reported_as_EBUSY()
    {
        Native.Close(_peer);
        var ex = Assert.Throws<DeviceIoException>(() => _transport.Read(new byte[16]));
        Assert.Equal(Errno.EBUSY, ex.Errno);
    }

    [Fact]
    public void A_close_after_traffic_is_a_lost_connection_not_EBUSY()
    {
        Native.SendMessage(_peer, Pattern(4, 1));
        Assert.Equal(4, _transport.Read(new byte[16]));
        Native.Close(_peer);
        var ex = Assert.Throws<DeviceIoException>(() => _transport.Read(new byte[16]));
        Assert.NotEqual(Errno.EBUSY, ex.Errno);
    }

    [Fact]
    public void Writes_arrive_as_one_message_each()
    {
        _transport.Write(Pattern(7432, 5));
        _transport.Write(Pattern(12, 6));
        byte[] buffer = new byte[65536];
        Assert.Equal(7432, Native.ReceiveMessage(_peer, buffer));
        Assert.Equal(Pattern(7432, 5), buffer[..7432]);
        Assert.Equal(12, Native.ReceiveMessage(_peer, buffer));
    }

    private static byte[] Pattern(int length, int seed)
    {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(i * 31 + seed);
        }
        return b;
    }
}
