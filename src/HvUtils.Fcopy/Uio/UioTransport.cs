using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;

namespace HvUtils.Fcopy.Uio;

/// <summary>
/// The fcopy channel on kernels ≥ 6.10 (spec/fcopy.md part B): the daemon owns the VMBus ring
/// pair. It answers the IC version negotiation itself (so the runner skips registration),
/// hands each fcopy message — names converted to UTF-8, as the legacy kernel did — to the
/// shared copy logic, and turns the 4-byte status into the IC response packet.
/// Wake-ups come from the uio fd itself (<see cref="Fd"/>); packets that are in the ring without
/// an interrupt — there at open (B.8 step 2) or written while the ring was masked (step 6) — are
/// reported by <see cref="HasPendingMessage"/> or read by a re-check, so the runner never waits
/// on them. (An eventfd beside the uio fd in a nested epoll set did this before, at ~0.1 µs per
/// message for the nested wake-up: issue 6 point 6.)
/// </summary>
public sealed class UioTransport : IDeviceTransport
{
    private const int MinPacket = VmbusRing.DescriptorSize + VmbusRing.TrailerSize;

    private readonly UioSignal _signal;
    private readonly nint _map;
    private readonly long _mapLength;
    private readonly VmbusRing _tx;
    private readonly VmbusRing _rx;
    private readonly byte[] _packet;
    private readonly Action<string>? _warn;
    private int _disposed;
    private bool _replyPending;
    private bool _signalledSinceConsume;
    private bool _replyInRing;
    private int _replyOffset;
    private int _replyLength;
    private ulong _replyTransaction;

    /// <param name="signal">The uio node (or the simulator's interrupt socket); taken over.</param>
    /// <param name="map">The 2R-byte mapping: TX ring at 0, RX ring at R (B.3); unmapped on dispose.</param>
    public UioTransport(UioSignal signal, nint map, int ringSize, string description, Action<string>? warn = null)
    {
        _signal = signal;
        _map = map;
        _mapLength = 2L * ringSize;
        _tx = new VmbusRing(map, ringSize);
        _rx = new VmbusRing(map + ringSize, ringSize);
        _packet = GC.AllocateArray<byte>(ringSize, pinned: true);
        _warn = warn;
        Description = description;
        // B.8 step 2: unmask; what arrived while masked (no interrupt came for it) shows in
        // HasPendingMessage, which the runner serves before it first waits.
        _rx.InterruptMask = 0;
    }

    public string Description { get; }

    public int Fd => _signal.Fd;

    public bool NeedsRegistration => false;

    public bool HasPendingMessage => _rx.BytesToRead >= MinPacket;

    public VmbusRing Tx => _tx;

    public VmbusRing Rx => _rx;

    /// <summary>Negotiations answered on this connection (status, tests).</summary>
    public int Negotiations { get; private set; }

    public int Read(Span<byte> buffer)
    {
        if (_replyPending && _replyInRing)
        {
            // The previous message was never answered (the runner always answers; defensive): free its ring space.
            _replyPending = false;
            _rx.Consume(_replyLength);
        }
        _signal.Consume();
        _signalledSinceConsume = false;
        bool rechecked = false;
        while (true)
        {
            int len = _rx.TryPeek(_packet.Length, out int offset);
            if (len == VmbusRing.Corrupt)
            {
                // B.4.3 step 3: the ring cannot be resynchronised; reopening makes the host start over.
                throw new DeviceIoException($"corrupt packet descriptor in the RX ring of {Description}", Errno.EIO);
            }
            if (len == 0)
            {
                // Ring drained: unmask (the kernel masked it on the interrupt) unless a reply's
                // signal already did, then re-check once for a packet the host wrote while the
                // ring was masked (B.8 step 6). Once: a half-published packet is not spun on.
                if (!_signalledSinceConsume)
                {
                    Signal();
                }
                if (rechecked || !HasPendingMessage)
                {
                    return 0;
                }
                rechecked = true;
                continue;
            }
            // Descriptor and IC headers first: they decide where the rest of the packet goes. The
            // payload offset is the one TryPeek validated, not a re-read of the shared descriptor.
            _rx.CopyPacket(0, _packet.AsSpan(0, VmbusRing.DescriptorSize));
            ulong transaction = BinaryPrimitives.ReadUInt64LittleEndian(_packet.AsSpan(8));
            int head = Math.Min(len, offset + IcMessage.HeaderSize);
            _rx.CopyPacket(VmbusRing.DescriptorSize, _packet.AsSpan(VmbusRing.DescriptorSize, head - VmbusRing.DescriptorSize));
            int length = len - head;
            if (head - offset == IcMessage.HeaderSize && IcMessage.MessageType(_packet.AsSpan(offset)) == IcMessage.TypeFcopy
                && length >= FcopyWire.HeaderSize && length <= buffer.Length)
            {
                ReadFcopyInPlace(buffer[..length], offset, len, transaction);
                return length;
            }
            // Negotiation and malformed packets: copied whole and consumed, answered here.
            _rx.CopyPacket(head, _packet.AsSpan(head, len - head));
            _rx.Consume(len);
            DispatchPacket(_packet.AsSpan(offset, len - offset), transaction, buffer.Length);
        }
    }

    /// <summary>
    /// The fcopy message goes straight from the ring into the runner's buffer (one copy, not
    /// two: issue 6 point 6), and the packet stays in the ring until <see cref="Write"/> has
    /// echoed it into the TX ring (B.5: the reply is the request, same length). Only the copy
    /// in <paramref name="buffer"/> is parsed: the host can still write the ring.
    /// </summary>
    private void ReadFcopyInPlace(Span<byte> buffer, int offset, int len, ulong transaction)
    {
        int bodyAt = offset + IcMessage.HeaderSize;
        _rx.CopyPacket(bodyAt, buffer);
        if (FcopyWire.Operation(buffer) == FcopyWire.StartFileCopy && buffer.Length >= FcopyWire.StartSize)
        {
            // B.7: the host's UTF-16LE names, converted as the legacy kernel did (259 UTF-8 bytes
            // max), from a private copy of each field (the conversion writes over its source).
            Span<byte> utf16 = _packet.AsSpan(bodyAt, FcopyWire.NameFieldSize);
            foreach (int field in (ReadOnlySpan<int>)[FcopyWire.FileNameOffset, FcopyWire.PathNameOffset])
            {
                buffer.Slice(field, FcopyWire.NameFieldSize).CopyTo(utf16);
                FcopyNames.Utf16ToUtf8(utf16, buffer.Slice(field, FcopyWire.NameFieldSize));
            }
        }
        _replyPending = true;
        _replyInRing = true;
        _replyOffset = offset;
        _replyLength = len;
        _replyTransaction = transaction;
    }

    /// <summary>Answers what the transport handles itself: negotiation (B.6), and HV_E_FAIL to anything else (B.7).</summary>
    private void DispatchPacket(Span<byte> payload, ulong transaction, int bufferLength)
    {
        if (payload.Length < IcMessage.HeaderSize)
        {
            _warn?.Invoke($"{Description}: dropped a {payload.Length}-byte payload shorter than the IC headers");
            return;
        }
        ushort type = IcMessage.MessageType(payload);
        if (type == IcMessage.TypeNegotiate)
        {
            if (!IcMessage.Negotiate(payload))
            {
                _warn?.Invoke($"{Description}: the host offered no framework 3.0 / fcopy 1.1 version; answered HV_E_FAIL");
            }
            Negotiations++;
            Send(payload, [], [], transaction);
            Signal();
            return;
        }
        // B.7: upstream exits on a short fcopy payload; an error status keeps the channel alive.
        // (A well-formed fcopy message was read in place and never comes here.)
        int length = payload.Length - IcMessage.HeaderSize;
        _warn?.Invoke($"{Description}: answered HV_E_FAIL to a message of type {type} with {length} bytes (at most {bufferLength})");
        IcMessage.MakeResponse(payload, HvStatus.E_FAIL);
        Send(payload, [], [], transaction);
        Signal();
    }

    /// <summary>The channel's 4-byte status becomes the IC response: the request payload with status and icflags set (B.5).</summary>
    public void Write(ReadOnlySpan<byte> message)
    {
        if (!_replyPending || message.Length != 4)
        {
            throw new DeviceIoException($"{Description}: a {message.Length}-byte reply with no request to answer", Errno.EINVAL);
        }
        _replyPending = false;
        Span<byte> headers = _packet.AsSpan(_replyOffset, IcMessage.HeaderSize);
        IcMessage.MakeResponse(headers, BinaryPrimitives.ReadUInt32LittleEndian(message));
        if (_replyInRing)
        {
            // The echo comes from the request still in the RX ring; its space is freed before the
            // host is signalled, so the host finds room for its next request (B.4.3).
            _replyInRing = false;
            int bodyAt = _replyOffset + IcMessage.HeaderSize;
            _rx.PacketSlice(bodyAt, _replyLength - bodyAt, out ReadOnlySpan<byte> first, out ReadOnlySpan<byte> second);
            Send(headers, first, second, _replyTransaction);
            _rx.Consume(_replyLength);
        }
        else
        {
            Send(_packet.AsSpan(_replyOffset, _replyLength), [], [], _replyTransaction);
        }
        Signal();
    }

    /// <summary>
    /// B.4.4 with the recommended fix: a full TX ring is waited out (pending_send_sz tells the
    /// host how much room is needed; each retry signals it) instead of exiting. The replies
    /// echo the request's transaction id, as the kernel's IC drivers do. The caller signals the
    /// host once the packet is in (<see cref="Signal"/>).
    /// </summary>
    private void Send(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> more, ReadOnlySpan<byte> rest, ulong transaction)
    {
        long deadline = Environment.TickCount64 + (long)SendTimeout.TotalMilliseconds;
        while (!_tx.TryWrite(payload, more, rest, transaction))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new DeviceIoException($"{Description}: the TX ring stayed full for {SendTimeout.TotalSeconds:0} s", Errno.ETIMEDOUT);
            }
            _tx.PendingSendSize = (uint)VmbusRing.PacketSpace(payload.Length + more.Length + rest.Length) + 1;
            Signal();
            Thread.Sleep(1);
        }
        _tx.PendingSendSize = 0;
    }

    private void Signal()
    {
        _signal.Signal();
        _signalledSinceConsume = true;
    }

    /// <summary>How long a reply waits for room in a full TX ring before the connection is reset.</summary>
    public static TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(25);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Native.Unmap(_map, _mapLength);
        _signal.Dispose();
    }
}
