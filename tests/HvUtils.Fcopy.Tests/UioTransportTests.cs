using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;
using HvUtils.Fcopy.Uio;
using HvUtils.Testing;

namespace HvUtils.Fcopy.Tests;

/// <summary>
/// The UIO transport against a host played by the test: the rings are a real file mapped
/// twice MAP_SHARED (host and guest mappings), the interrupt channel a SEQPACKET pair.
/// </summary>
public sealed class UioTransportTests : IDisposable
{
    private const int R = 16384;
    private readonly TempDirectory _tmp = new("hvutils-uio-test-");
    private readonly nint _hostMap;
    private readonly int _hostFd;
    private readonly VmbusRing _toGuest;
    private readonly VmbusRing _fromGuest;
    private readonly UioTransport _transport;
    private uint _counter;

    public UioTransportTests()
    {
        string rings = _tmp.Combine("rings");
        File.WriteAllBytes(rings, new byte[2 * R]);
        int fd = Native.Open(rings, Native.O_RDWR);
        _hostMap = Native.MapShared(fd, 2 * R);
        nint guestMap = Native.MapShared(fd, 2 * R);
        Native.Close(fd);
        _fromGuest = new VmbusRing(_hostMap, R);
        _toGuest = new VmbusRing(_hostMap + R, R);
        _fromGuest.Initialize();
        _toGuest.Initialize();
        _toGuest.InterruptMask = 1;
        Assert.Equal(0, Native.SeqPacketPair(out int guestFd, out _hostFd));
        _transport = new UioTransport(new UioSignal(guestFd, socket: true, "test-uio"), guestMap, R, "test-uio");
    }

    public void Dispose()
    {
        _transport.Dispose();
        Native.Close(_hostFd);
        Native.Unmap(_hostMap, 2 * R);
        _tmp.Dispose();
    }

    private void HostSend(byte[] payload, ulong transaction = 77)
    {
        Assert.True(_toGuest.TryWrite(payload, transaction, flags: 1));
        Interrupt();
    }

    private void Interrupt()
    {
        byte[] v = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, ++_counter);
        Assert.Equal(4, Native.SendMessage(_hostFd, v));
    }

    private byte[] HostReceive(out ulong transaction)
    {
        byte[] packet = new byte[R];
        int len = _fromGuest.TryRead(packet);
        Assert.True(len > 0, "no reply packet in the guest → host ring");
        transaction = BinaryPrimitives.ReadUInt64LittleEndian(packet.AsSpan(8));
        return packet[16..len];
    }

    private bool FdReadable()
    {
        int ep = Native.EpollCreate();
        Native.EpollCtl(ep, Native.EPOLL_CTL_ADD, _transport.Fd, Native.EPOLLIN, 1);
        int n = Native.EpollWaitOne(ep, 0, out _, out _);
        Native.Close(ep);
        return n > 0;
    }

    private static byte[] Fcopy(byte[] message) => IcMessage.Request(IcMessage.TypeFcopy, 1, 1, message, 3);

    private static byte[] StartUtf16(string name, string path)
    {
        byte[] m = new byte[1088];
        Encoding.Unicode.GetBytes(name).CopyTo(m, 36);
        Encoding.Unicode.GetBytes(path).CopyTo(m, 556);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(1076), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(1080), 12345);
        return m;
    }

    [Fact]
    public void Opening_unmasks_the_rx_ring_and_needs_no_registration()
    {
        Assert.Equal(0u, _toGuest.InterruptMask);
        Assert.False(_transport.NeedsRegistration);
        Assert.False(FdReadable());
    }

    [Fact]
    public void Negotiation_is_answered_inside_the_transport_with_the_transaction_echoed()
    {
        HostSend(IcMessage.Request(0, 3, 0, IcMessage.NegotiateBody([(3, 0)], [(1, 1)]), 9), transaction: 0xABCD);
        Assert.True(FdReadable());
        Assert.Equal(0, _transport.Read(new byte[8192]));
        byte[] reply = HostReceive(out ulong tid);
        Assert.Equal(0xABCDul, tid);
        Assert.Equal(48, reply.Length); // 44-byte payload padded to 8 (64-byte packet, B.9)
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(20)));
        Assert.Equal(5, reply[25]);
        Assert.Equal(Convert.FromHexString("01000100000000000300000001000100"), reply[28..44]);
        Assert.Equal(1, _transport.Negotiations);
        Assert.False(FdReadable());
    }

    [Fact]
    public void Start_names_reach_the_channel_as_utf8_and_the_status_becomes_the_response_packet()
    {
        HostSend(Fcopy(StartUtf16("naïve-😀.txt", "/tmp/ziel")), transaction: 5);
        byte[] buffer = new byte[8192];
        int n = _transport.Read(buffer);
        Assert.Equal(1092, n); // 1088 + the sender's padding to 8 (B.4.1: payload length includes it)
        Assert.Equal("naïve-😀.txt", Encoding.UTF8.GetString(FcopyNames.Utf8Field(buffer.AsSpan(36, 520))));
        Assert.Equal("/tmp/ziel", Encoding.UTF8.GetString(FcopyNames.Utf8Field(buffer.AsSpan(556, 520))));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(1076)));
        _transport.Write(BitConverter.GetBytes(HvStatus.ERROR_ALREADY_EXISTS));
        byte[] reply = HostReceive(out ulong tid);
        Assert.Equal(5ul, tid);
        Assert.Equal(1120, reply.Length); // 1116 padded: a 1136-byte packet
        Assert.Equal(HvStatus.ERROR_ALREADY_EXISTS, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(20)));
        Assert.Equal(5, reply[25]);
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(12)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(R - 4096 - 3000)] // both rings wrap inside the fcopy message
    public void A_write_is_read_in_place_and_its_reply_echoes_it_from_the_ring(int ringStart)
    {
        _toGuest.WriteIndex = _toGuest.ReadIndex = (uint)ringStart;
        _fromGuest.WriteIndex = _fromGuest.ReadIndex = (uint)ringStart;
        byte[] data = Msg.Random(FcopyWire.DataFragment, 11);
        byte[] request = Fcopy(Msg.Write(12288, data));
        HostSend(request, transaction: 0x5151);
        byte[] buffer = new byte[8192];
        Assert.Equal(FcopyWire.WriteSize, _transport.Read(buffer));
        Assert.Equal(request[IcMessage.HeaderSize..], buffer[..FcopyWire.WriteSize]);
        // The request keeps its ring space until it is answered (the echo is read from there).
        Assert.Equal((uint)ringStart, _toGuest.ReadIndex);
        Assert.True(_toGuest.BytesToRead > 0);
        _transport.Write(BitConverter.GetBytes(HvStatus.E_FAIL));
        Assert.Equal(_toGuest.WriteIndex, _toGuest.ReadIndex);
        Assert.False(_transport.HasPendingMessage);
        byte[] reply = HostReceive(out ulong tid);
        Assert.Equal(0x5151ul, tid);
        byte[] expected = [.. request];
        IcMessage.MakeResponse(expected, HvStatus.E_FAIL);
        Assert.Equal(expected, reply[..request.Length]); // same payload, status and icflags 0x05 set
        Assert.Equal(5, reply[IcMessage.FlagsOffset]);
        Assert.Equal(VmbusRing.Align8(request.Length), reply.Length);
    }

    [Fact]
    public void Several_packets_per_interrupt_are_all_delivered_and_the_host_is_signalled()
    {
        Assert.True(_toGuest.TryWrite(Fcopy(Msg.Op(2, 36)), 1));
        Assert.True(_toGuest.TryWrite(Fcopy(Msg.Op(3, 36)), 2));
        Interrupt();
        byte[] buffer = new byte[8192];
        Assert.Equal(36, _transport.Read(buffer));
        Assert.Equal(2u, FcopyWire.Operation(buffer));
        _transport.Write(new byte[4]);
        Assert.True(_transport.HasPendingMessage);
        Assert.Equal(36, _transport.Read(buffer));
        Assert.Equal(3u, FcopyWire.Operation(buffer));
        _transport.Write(new byte[4]);
        Assert.False(_transport.HasPendingMessage);
        Assert.Equal(0, _transport.Read(buffer));
        Assert.Equal(0u, _toGuest.InterruptMask);
        byte[] v = new byte[16];
        int signals = 0;
        while (Native.ReceiveMessage(_hostFd, v, Native.MSG_DONTWAIT) == 4)
        {
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(v)); // write(fd, 1): unmask + signal
            signals++;
        }
        Assert.True(signals >= 2);
    }

    [Fact]
    public void Thousands_of_writes_wrap_around_both_rings()
    {
        byte[] buffer = new byte[8192];
        for (int i = 0; i < 300; i++)
        {
            byte[] data = Msg.Random(6144, i);
            HostSend(Fcopy(Msg.Write((ulong)i * 6144, data)), (ulong)i);
            Assert.Equal(6196, _transport.Read(buffer));
            Assert.Equal(data, buffer[52..6196]);
            _transport.Write(new byte[4]);
            byte[] reply = HostReceive(out ulong tid);
            Assert.Equal((ulong)i, tid);
            Assert.Equal(6224, reply.Length);
        }
        Assert.NotEqual(0u, _toGuest.ReadIndex);
    }

    [Fact]
    public void Short_or_foreign_packets_are_answered_or_dropped_not_fatal()
    {
        byte[] buffer = new byte[8192];
        HostSend(new byte[20]); // shorter than the IC headers: dropped
        HostSend(Fcopy(new byte[20])); // fcopy payload < 28 + 36: HV_E_FAIL
        HostSend(IcMessage.Request(1, 3, 0, new byte[8], 0)); // heartbeat on the fcopy channel: HV_E_FAIL
        Assert.Equal(0, _transport.Read(buffer));
        Assert.Equal(HvStatus.E_FAIL, BinaryPrimitives.ReadUInt32LittleEndian(HostReceive(out _).AsSpan(20)));
        Assert.Equal(HvStatus.E_FAIL, BinaryPrimitives.ReadUInt32LittleEndian(HostReceive(out _).AsSpan(20)));
        HostSend(Fcopy(Msg.Op(2, 36)));
        Assert.Equal(36, _transport.Read(buffer)); // still serving
    }

    [Fact]
    public void A_descriptor_claiming_more_than_the_ring_resets_the_connection()
    {
        Assert.True(_toGuest.TryWrite(new byte[64], 1));
        byte[] desc = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(desc, (ushort)(2 * R / 8)); // len8: a packet larger than the ring
        unsafe
        {
            desc.CopyTo(new Span<byte>((byte*)(_hostMap + R + 4096 + 4), 2));
        }
        Interrupt();
        var ex = Assert.Throws<DeviceIoException>(() => _transport.Read(new byte[8192]));
        Assert.Equal(Errno.EIO, ex.Errno);
    }

    [Fact]
    public async Task A_full_tx_ring_is_waited_out_while_the_host_drains_it()
    {
        // Fill the guest → host ring with replies the host does not read yet.
        byte[] buffer = new byte[8192];
        HostSend(Fcopy(Msg.Write(0, new byte[10])));
        Assert.Equal(6196, _transport.Read(buffer));
        _transport.Write(new byte[4]);
        HostSend(Fcopy(Msg.Write(0, new byte[10])));
        Assert.Equal(6196, _transport.Read(buffer));
        var drain = Task.Run(async () =>
        {
            await Task.Delay(200);
            Assert.True(_fromGuest.PendingSendSize > 0); // the blocked sender said how much it needs
            HostReceive(out _);
        });
        _transport.Write(new byte[4]); // blocks until the host frees room
        await drain;
        Assert.Equal(0u, _fromGuest.PendingSendSize);
        HostReceive(out _);
    }

    [Fact]
    public void A_packet_waiting_before_open_is_reported_pending_and_read_without_an_interrupt()
    {
        // The transport built in the constructor saw an empty ring; a second one opened on a ring
        // that already holds the negotiate request reports it pending, so the runner reads it
        // before it first waits (B.8 step 2): no interrupt will come for it.
        Assert.True(_toGuest.TryWrite(IcMessage.Request(0, 3, 0, IcMessage.NegotiateBody([(3, 0)], [(1, 1)]), 0), 1));
        Assert.Equal(0, Native.SeqPacketPair(out int g2, out int h2));
        string rings = _tmp.Combine("rings");
        int fd = Native.Open(rings, Native.O_RDWR);
        nint map2 = Native.MapShared(fd, 2 * R);
        Native.Close(fd);
        using var second = new UioTransport(new UioSignal(g2, socket: true, "second"), map2, R, "second");
        Assert.True(second.HasPendingMessage);
        Assert.Equal(0, second.Read(new byte[8192])); // no interrupt is queued: the read does not block
        Assert.Equal(1, second.Negotiations);
        Assert.False(second.HasPendingMessage);
        Native.Close(h2);
    }
}
