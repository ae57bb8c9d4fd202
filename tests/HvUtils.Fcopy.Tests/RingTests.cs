using System.Buffers.Binary;
using System.Runtime.InteropServices;
using HvUtils.Fcopy.Uio;

namespace HvUtils.Fcopy.Tests;

public sealed unsafe class RingTests : IDisposable
{
    private const int R = 16384;
    private const int D = R - 4096;
    private readonly byte* _mem = (byte*)NativeMemory.AllocZeroed(R);
    private readonly VmbusRing _ring;

    public RingTests()
    {
        _ring = new VmbusRing((nint)_mem, R);
        _ring.Initialize();
    }

    public void Dispose() => NativeMemory.Free(_mem);

    private Span<byte> Data => new(_mem + 4096, D);

    [Fact]
    public void A_packet_is_descriptor_payload_padding_and_trailer_at_the_spec_offsets()
    {
        _ring.WriteIndex = _ring.ReadIndex = 64;
        Assert.True(_ring.TryWrite([1, 2, 3, 4, 5], 0x1122334455667788, flags: 1));
        // Golden: type 6, offset8 2, len8 (16+8)/8=3, flags 1, trans id; 5 bytes + 3 zero; trailer = 64 << 32.
        Assert.Equal(Convert.FromHexString("0600020003000100887766554433221101020304050000000000000040000000"), Data.Slice(64, 32).ToArray());
        Assert.Equal(64u + 32, _ring.WriteIndex);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_mem + 64, 4))); // feature_bits
        byte[] packet = new byte[R];
        Assert.Equal(24, _ring.TryRead(packet));
        Assert.Equal(64u + 32, _ring.ReadIndex);
        Assert.Equal(0, _ring.TryRead(packet));
    }

    [Fact]
    public void Packets_wrap_around_the_end_of_the_data_area()
    {
        _ring.WriteIndex = _ring.ReadIndex = D - 20; // the descriptor itself straddles the end
        byte[] payload = Msg.Random(1116, 7); // a START payload: 1136-byte packet, 1144 ring bytes
        Assert.True(_ring.TryWrite(payload, 42));
        Assert.Equal((uint)((D - 20 + 1144) % D), _ring.WriteIndex);
        ulong trailer = BinaryPrimitives.ReadUInt64LittleEndian(Data.Slice((D - 20 + 1136) % D, 8));
        Assert.Equal((ulong)(D - 20) << 32, trailer);
        byte[] packet = new byte[R];
        Assert.Equal(1136, _ring.TryRead(packet));
        Assert.Equal(payload, packet[16..1132]);
        Assert.Equal(42ul, BinaryPrimitives.ReadUInt64LittleEndian(packet.AsSpan(8)));
        Assert.Equal(_ring.WriteIndex, _ring.ReadIndex);
    }

    [Fact]
    public void Reading_the_head_only_consumes_the_whole_packet()
    {
        _ring.WriteIndex = _ring.ReadIndex = D - 40; // wraps, so the skipped bytes straddle the end
        byte[] payload = Msg.Random(6224, 3);
        Assert.True(_ring.TryWrite(payload, 7));
        Assert.True(_ring.TryWrite([9, 9, 9], 8));
        byte[] head = new byte[16 + 28];
        Assert.Equal(16 + 6224, _ring.TryReadHead(head));
        Assert.Equal(payload[..28], head[16..]);
        Assert.Equal(7ul, BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(8)));
        // The next packet starts where the whole first one ended (trailer included).
        Assert.Equal(24, _ring.TryReadHead(head));
        Assert.Equal(new byte[] { 9, 9, 9, 0, 0, 0, 0, 0 }, head[16..24]);
        Assert.Equal(_ring.WriteIndex, _ring.ReadIndex);
        Assert.Equal(0, _ring.TryReadHead(head));
    }

    [Fact]
    public void A_full_ring_refuses_a_write_and_keeps_one_byte_free()
    {
        byte[] payload = new byte[6224]; // a WRITE payload: 6248 ring bytes
        Assert.True(_ring.TryWrite(payload, 1));
        Assert.False(_ring.TryWrite(payload, 2)); // 12288 - 6248 = 6040 free ≤ 6248
        Assert.Equal(6248u, _ring.WriteIndex);
        byte[] small = new byte[D - 6248 - 16 - 8]; // exactly fills: free == total → refused
        Assert.False(_ring.TryWrite(small, 3));
        Assert.True(_ring.TryWrite(small.AsSpan(0, small.Length - 8), 3));
    }

    [Fact]
    public void Partial_packets_wait_and_impossible_descriptors_are_corrupt()
    {
        byte[] packet = new byte[R];
        Assert.True(_ring.TryWrite(new byte[100], 1));
        uint full = _ring.WriteIndex;
        _ring.WriteIndex = full - 16; // the writer has not published the whole packet yet
        Assert.Equal(0, _ring.TryRead(packet));
        _ring.WriteIndex = full;
        BinaryPrimitives.WriteUInt16LittleEndian(Data[2..], 1); // offset8 < 2
        Assert.Equal(VmbusRing.Corrupt, _ring.TryRead(packet));
        BinaryPrimitives.WriteUInt16LittleEndian(Data[2..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(Data[4..], (ushort)(R / 8)); // longer than the ring
        Assert.Equal(VmbusRing.Corrupt, _ring.TryRead(packet));
    }
}
