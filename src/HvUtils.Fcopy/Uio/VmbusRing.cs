using System.Buffers.Binary;

namespace HvUtils.Fcopy.Uio;

/// <summary>
/// One VMBus ring buffer in shared memory (spec/fcopy.md B.3–B.4): a 4096-byte header with
/// the indices, the interrupt mask and the pending-send size, then a circular data area of
/// D = R − 4096 bytes holding packets (16-byte descriptor, payload padded to 8, 8-byte
/// trailer). The same code writes the guest's TX ring and, in the simulator, the host's RX ring.
/// </summary>
public sealed unsafe class VmbusRing
{
    public const int HeaderSize = 4096;
    public const int DescriptorSize = 16;
    public const int TrailerSize = 8;
    public const ushort TypeDataInband = 6;

    private const int WriteIndexOffset = 0;
    private const int ReadIndexOffset = 4;
    private const int InterruptMaskOffset = 8;
    private const int PendingSendOffset = 12;
    private const int FeatureBitsOffset = 64;

    private readonly byte* _header;
    private readonly byte* _data;

    /// <param name="header">Start of this ring inside the mapping.</param>
    /// <param name="ringSize">R: header plus data area.</param>
    public VmbusRing(nint header, int ringSize)
    {
        _header = (byte*)header;
        _data = _header + HeaderSize;
        DataSize = ringSize - HeaderSize;
    }

    /// <summary>D, the size of the circular data area.</summary>
    public int DataSize { get; }

    public uint WriteIndex
    {
        get => Volatile.Read(ref *(uint*)(_header + WriteIndexOffset));
        set => Volatile.Write(ref *(uint*)(_header + WriteIndexOffset), value);
    }

    public uint ReadIndex
    {
        get => Volatile.Read(ref *(uint*)(_header + ReadIndexOffset));
        set => Volatile.Write(ref *(uint*)(_header + ReadIndexOffset), value);
    }

    /// <summary>1 = the reader of this ring asks not to be interrupted.</summary>
    public uint InterruptMask
    {
        get => Volatile.Read(ref *(uint*)(_header + InterruptMaskOffset));
        set => Volatile.Write(ref *(uint*)(_header + InterruptMaskOffset), value);
    }

    /// <summary>Bytes a blocked writer waits for (0 = none).</summary>
    public uint PendingSendSize
    {
        get => Volatile.Read(ref *(uint*)(_header + PendingSendOffset));
        set => Volatile.Write(ref *(uint*)(_header + PendingSendOffset), value);
    }

    public uint FeatureBits
    {
        get => Volatile.Read(ref *(uint*)(_header + FeatureBitsOffset));
        set => Volatile.Write(ref *(uint*)(_header + FeatureBitsOffset), value);
    }

    /// <summary>Resets the header as the kernel does when the channel opens (indices 0, feat_pending_send_sz).</summary>
    public void Initialize()
    {
        new Span<byte>(_header, HeaderSize).Clear();
        FeatureBits = 1;
    }

    /// <summary>B.3.2: free = w ≥ r ? D − (w − r) : r − w.</summary>
    public int BytesFree
    {
        get
        {
            uint r = ReadIndex;
            uint w = WriteIndex;
            return (int)(w >= r ? (uint)DataSize - (w - r) : r - w);
        }
    }

    public int BytesToRead => DataSize - BytesFree;

    /// <summary>
    /// B.4.3: copies the next whole packet (descriptor included) into <paramref name="packet"/>
    /// and advances read_index. Returns its length L (= len8 × 8), 0 when no whole packet is
    /// there yet, or <see cref="Corrupt"/> when the descriptor is impossible (bad offset8 or
    /// a length the ring cannot hold) — the ring is then unusable and must be reopened.
    /// </summary>
    public int TryRead(Span<byte> packet) => ReadAndConsume(packet, packet.Length);

    /// <summary>
    /// As <see cref="TryRead(Span{byte})"/>, but copies only the packet's first
    /// <paramref name="head"/>.Length bytes (or fewer, for a shorter packet) and consumes it whole:
    /// for a reader that needs the headers only, such as a host taking a reply's status.
    /// </summary>
    public int TryReadHead(Span<byte> head) => ReadAndConsume(head, DataSize);

    private int ReadAndConsume(Span<byte> destination, int maxLength)
    {
        int len = TryPeek(maxLength, out _);
        if (len > 0)
        {
            CopyPacket(0, destination[..Math.Min(len, destination.Length)]);
            Consume(len);
        }
        return len;
    }

    /// <summary>
    /// The next whole packet's length L without consuming it: 0 when none is complete yet,
    /// <see cref="Corrupt"/> for an impossible descriptor or one longer than
    /// <paramref name="maxLength"/>. <paramref name="payloadOffset"/> (offset8 × 8) is the
    /// validated value: the other side can rewrite the descriptor in the ring after this check,
    /// so a reader takes it from here, never from a later copy. The packet's bytes are then read
    /// with <see cref="CopyPacket"/> or echoed with <see cref="PacketSlice"/>, and
    /// <see cref="Consume"/> frees its ring space.
    /// </summary>
    public int TryPeek(int maxLength, out int payloadOffset)
    {
        payloadOffset = 0;
        int available = BytesToRead; // reads write_index with acquire semantics
        if (available < DescriptorSize + TrailerSize)
        {
            return 0;
        }
        Span<byte> desc = stackalloc byte[DescriptorSize];
        CopyOut(ReadIndex, desc);
        int offset8 = BinaryPrimitives.ReadUInt16LittleEndian(desc[2..]);
        int len = BinaryPrimitives.ReadUInt16LittleEndian(desc[4..]) * 8;
        if (offset8 < 2 || offset8 * 8 > len || len + TrailerSize >= DataSize || len > maxLength)
        {
            return Corrupt;
        }
        if (available < len + TrailerSize)
        {
            return 0;
        }
        payloadOffset = offset8 * 8;
        return len;
    }

    /// <summary>Copies bytes [<paramref name="from"/>, from + destination.Length) of the packet at read_index.</summary>
    public void CopyPacket(int from, Span<byte> destination) => CopyOut(Advance(ReadIndex, from), destination);

    /// <summary>
    /// Bytes [<paramref name="from"/>, from + count) of the packet at read_index in place, as one
    /// or two spans (the second when they wrap). Shared memory: only to be echoed, never parsed,
    /// since the other side can still write it.
    /// </summary>
    public void PacketSlice(int from, int count, out ReadOnlySpan<byte> first, out ReadOnlySpan<byte> second)
    {
        uint at = Advance(ReadIndex, from);
        int n = Math.Min(count, DataSize - (int)at);
        first = new ReadOnlySpan<byte>(_data + at, n);
        second = new ReadOnlySpan<byte>(_data, count - n);
    }

    /// <summary>Frees the ring space of the packet of length <paramref name="length"/> at read_index (trailer included).</summary>
    public void Consume(int length) => ReadIndex = Advance(ReadIndex, length + TrailerSize);

    private uint Advance(uint index, int count) => (uint)((index + (uint)count) % (uint)DataSize);

    public const int Corrupt = -1;

    /// <summary>Bytes a packet with <paramref name="payloadLength"/> bytes of payload consumes in the ring (descriptor, padding, trailer).</summary>
    public static int PacketSpace(int payloadLength) => DescriptorSize + Align8(payloadLength) + TrailerSize;

    public static int Align8(int n) => (n + 7) & ~7;

    /// <summary>
    /// B.4.4: writes one in-band packet (descriptor, payload, zero padding to 8, trailer
    /// <c>(u64)w &lt;&lt; 32</c>) and publishes it by advancing write_index. False, nothing
    /// written, when free ≤ total (one byte always stays free so full ≠ empty).
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> payload, ulong transactionId, ushort flags = 0) =>
        TryWrite(payload, [], [], transactionId, flags);

    /// <summary>As <see cref="TryWrite(ReadOnlySpan{byte}, ulong, ushort)"/> with the payload given in three consecutive pieces.</summary>
    public bool TryWrite(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> more, ReadOnlySpan<byte> rest, ulong transactionId, ushort flags = 0)
    {
        int payloadLength = payload.Length + more.Length + rest.Length;
        int len = DescriptorSize + Align8(payloadLength);
        int total = len + TrailerSize;
        if (BytesFree <= total)
        {
            return false;
        }
        uint w = WriteIndex;
        Span<byte> desc = stackalloc byte[DescriptorSize];
        BinaryPrimitives.WriteUInt16LittleEndian(desc, TypeDataInband);
        BinaryPrimitives.WriteUInt16LittleEndian(desc[2..], DescriptorSize / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(desc[4..], (ushort)(len / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(desc[6..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(desc[8..], transactionId);
        uint at = CopyIn(w, desc);
        at = CopyIn(at, payload);
        at = CopyIn(at, more);
        at = CopyIn(at, rest);
        Span<byte> pad = stackalloc byte[8];
        pad.Clear();
        at = CopyIn(at, pad[..(Align8(payloadLength) - payloadLength)]);
        Span<byte> trailer = stackalloc byte[TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, (ulong)w << 32);
        at = CopyIn(at, trailer);
        WriteIndex = at; // release: the packet is complete before the index moves
        return true;
    }

    private void CopyOut(uint offset, Span<byte> destination)
    {
        int first = Math.Min(destination.Length, DataSize - (int)offset);
        new ReadOnlySpan<byte>(_data + offset, first).CopyTo(destination);
        if (first < destination.Length)
        {
            new ReadOnlySpan<byte>(_data, destination.Length - first).CopyTo(destination[first..]);
        }
    }

    private uint CopyIn(uint offset, ReadOnlySpan<byte> source)
    {
        int first = Math.Min(source.Length, DataSize - (int)offset);
        source[..first].CopyTo(new Span<byte>(_data + offset, first));
        if (first < source.Length)
        {
            source[first..].CopyTo(new Span<byte>(_data, source.Length - first));
        }
        return (uint)((offset + source.Length) % (uint)DataSize);
    }
}
