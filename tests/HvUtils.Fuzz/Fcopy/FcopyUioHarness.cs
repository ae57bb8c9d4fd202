using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;
using HvUtils.Fcopy.Uio;

namespace HvUtils.Fuzz.Fcopy;

/// <summary>
/// The UIO path (spec/fcopy.md part B): each fuzzed IC payload goes into the host→guest ring
/// of a real <see cref="UioTransport"/> (rings in a file mapped twice, the interrupt a SEQPACKET
/// pair, as in the transport tests); the transport answers negotiation and bad framing itself
/// and hands fcopy messages (names converted from UTF-16) to the channel. Every payload of at
/// least the IC headers must produce exactly one response packet: same transaction id, icflags
/// TRANSACTION|RESPONSE, the request's headers, and the status the channel (or B.6/B.7) chose.
/// </summary>
public sealed class FcopyUioHarness : FcopyHarness
{
    private const int RingSize = 4096 + 32768;
    private const int Headers = IcMessage.HeaderSize;

    private readonly nint _hostMap;
    private readonly int _hostFd;
    private readonly VmbusRing _toGuest;
    private readonly VmbusRing _fromGuest;
    private readonly UioTransport _transport;
    private readonly byte[] _buffer = new byte[HvUtils.Fcopy.FcopyChannel.ReadBufferSize];
    private readonly byte[] _packet = new byte[RingSize];
    private readonly byte[] _reply = new byte[4];
    private readonly byte[] _signals = new byte[64];
    private ulong _transaction;

    public FcopyUioHarness()
        : base("hvutils-fuzz-uio-", utf16: true)
    {
        string rings = Sandbox.Combine("rings");
        File.WriteAllBytes(rings, new byte[2 * RingSize]);
        int fd = Native.Open(rings, Native.O_RDWR | Native.O_CLOEXEC);
        _hostMap = Native.MapShared(fd, 2 * RingSize);
        nint guestMap = Native.MapShared(fd, 2 * RingSize);
        Native.Close(fd);
        _fromGuest = new VmbusRing(_hostMap, RingSize);
        _toGuest = new VmbusRing(_hostMap + RingSize, RingSize);
        _fromGuest.Initialize();
        _toGuest.Initialize();
        Native.SeqPacketPair(out int guestFd, out _hostFd);
        _transport = new UioTransport(new UioSignal(guestFd, socket: true, "fuzz-uio"), guestMap, RingSize, "fuzz-uio");
        Seeds = [.. base.Seeds.Select(Fcopy), Negotiate([(3, 0)], [(1, 1)]), Negotiate([(1, 0), (3, 0)], [(1, 0), (1, 1)]), Negotiate([(3, 0)], [(2, 0)]),
            IcMessage.Request(IcMessage.TypeNegotiate, 3, 0, new byte[4], 1), IcMessage.Request(1, 3, 0, new byte[8], 2)];
        FieldOffsets = [4, 12, 14, 18, 20, 24, 25, Headers, Headers + 2, Headers + 40, Headers + 48, Headers + 1076, Headers + 1080];
    }

    public override string Name => "fcopy-uio";

    /// <summary>An IC payload: headers plus up to a little more than the transport's 8192-byte read buffer.</summary>
    public override int MaxMessageSize => Headers + HvUtils.Fcopy.FcopyChannel.ReadBufferSize + 64;

    public override byte[] Generate(Random rng) => rng.Next(20) switch
    {
        0 => Negotiate([(3, 0)], [(1, 1)]),
        1 => Negotiate([((ushort)rng.Next(5), 0)], [(1, (ushort)rng.Next(3))]),
        2 => IcMessage.Request((ushort)rng.Next(10), 3, 0, new byte[rng.Next(64)], 0),
        _ => Fcopy(base.Generate(rng)),
    };

    private static byte[] Fcopy(byte[] body) => IcMessage.Request(IcMessage.TypeFcopy, 1, 1, body, 0);

    private static byte[] Negotiate(ReadOnlySpan<(ushort, ushort)> frameworks, ReadOnlySpan<(ushort, ushort)> messages) =>
        IcMessage.Request(IcMessage.TypeNegotiate, 3, 0, IcMessage.NegotiateBody(frameworks, messages), 0);

    public override void Feed(ReadOnlySpan<byte> payload)
    {
        ulong transaction = ++_transaction;
        InvariantViolation.Require(_toGuest.TryWrite(payload, transaction, flags: 1), "fcopy-uio: host ring full (a reply was not consumed)", payload);
        uint? channelStatus = null;
        try
        {
            int n = _transport.Read(_buffer);
            if (n > 0)
            {
                channelStatus = HandleChecked(_buffer.AsSpan(0, n));
                _transport.Write(BitConverterLe(channelStatus.Value));
                InvariantViolation.Require(_transport.Read(_buffer) == 0, "fcopy-uio: one packet produced two messages", payload);
            }
        }
        catch (DeviceIoException ex)
        {
            throw new InvariantViolation($"fcopy-uio: the transport gave up on a well-framed packet: {ex.Message}", payload.ToArray());
        }
        CheckResponse(payload, transaction, channelStatus);
        while (Native.ReceiveMessage(_hostFd, _signals, Native.MSG_DONTWAIT) > 0)
        {
            // The guest's unmask/interrupt signals; the host side just drains them.
        }
    }

    private byte[] BitConverterLe(uint status)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_reply, status);
        return _reply;
    }

    private void CheckResponse(ReadOnlySpan<byte> payload, ulong transaction, uint? channelStatus)
    {
        int len = _fromGuest.TryRead(_packet);
        // The ring carries payloads padded to 8 bytes (B.4.4): the transport sees the padded length.
        if (VmbusRing.Align8(payload.Length) < Headers)
        {
            InvariantViolation.Require(len == 0, "fcopy-uio: a payload shorter than the IC headers was answered", payload);
            return;
        }
        InvariantViolation.Require(len > 0, "fcopy-uio: no response packet", payload);
        ulong echoed = BinaryPrimitives.ReadUInt64LittleEndian(_packet.AsSpan(8));
        ReadOnlySpan<byte> response = _packet.AsSpan(16, len - 16);
        InvariantViolation.Require(echoed == transaction, "fcopy-uio: response transaction id differs", payload);
        InvariantViolation.Require(response.Length == VmbusRing.Align8(payload.Length), $"fcopy-uio: response payload {response.Length} bytes for a {payload.Length}-byte request", payload);
        InvariantViolation.Require(response[IcMessage.FlagsOffset] == (IcMessage.FlagTransaction | IcMessage.FlagResponse), "fcopy-uio: icflags not TRANSACTION|RESPONSE", payload);
        InvariantViolation.Require(response[..IcMessage.MessageSizeOffset].SequenceEqual(payload[..IcMessage.MessageSizeOffset]), "fcopy-uio: response headers differ from the request's", payload);
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(response[IcMessage.StatusOffset..]);
        ushort type = IcMessage.MessageType(payload);
        bool ok = type == IcMessage.TypeNegotiate ? status is HvStatus.S_OK or HvStatus.E_FAIL
            : channelStatus is { } s ? status == s
            : status == HvStatus.E_FAIL;
        InvariantViolation.Require(ok, $"fcopy-uio: type {type} answered 0x{status:X8} (channel said {channelStatus?.ToString("X8") ?? "nothing"})", payload);
        InvariantViolation.Require(_fromGuest.TryRead(_packet) == 0, "fcopy-uio: more than one response packet", payload);
    }

    protected override void Dispose(bool disposing)
    {
        _transport.Dispose();
        Native.Close(_hostFd);
        Native.Unmap(_hostMap, 2 * RingSize);
        base.Dispose(disposing);
    }
}
