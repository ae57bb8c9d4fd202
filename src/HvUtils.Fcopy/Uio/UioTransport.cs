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
        _signal.Consume();
        _signalledSinceConsume = false;
        bool rechecked = false;
        while (true)
        {
            int len = _rx.TryRead(_packet);
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
            int offset = BinaryPrimitives.ReadUInt16LittleEndian(_packet.AsSpan(2)) * 8;
            ulong transaction = BinaryPrimitives.ReadUInt64LittleEndian(_packet.AsSpan(8));
            int message = DispatchPacket(_packet.AsSpan(offset, len - offset), transaction, buffer);
            if (message > 0)
            {
                _replyPending = true;
                _replyOffset = offset;
                _replyLength = len - offset;
                _replyTransaction = transaction;
                return message;
            }
        }
    }

    /// <summary>Answers what the transport handles itself; returns the fcopy message length copied to <paramref name="buffer"/>, or 0.</summary>
    private int DispatchPacket(Span<byte> payload, ulong transaction, Span<byte> buffer)
    {
        if (payload.Length < IcMessage.HeaderSize)
        {
            _warn?.Invoke($"{Description}: dropped a {payload.Length}-byte payload shorter than the IC headers");
            return 0;
        }
        ushort type = IcMessage.MessageType(payload);
        if (type == IcMessage.TypeNegotiate)
        {
            if (!IcMessage.Negotiate(payload))
            {
                _warn?.Invoke($"{Description}: the host offered no framework 3.0 / fcopy 1.1 version; answered HV_E_FAIL");
            }
            Negotiations++;
            Send(payload, transaction);
            return 0;
        }
        int length = payload.Length - IcMessage.HeaderSize;
        if (type != IcMessage.TypeFcopy || length < FcopyWire.HeaderSize || length > buffer.Length)
        {
            // B.7: upstream exits on a short fcopy payload; an error status keeps the channel alive.
            _warn?.Invoke($"{Description}: answered HV_E_FAIL to a message of type {type} with {length} bytes");
            IcMessage.MakeResponse(payload, HvStatus.E_FAIL);
            Send(payload, transaction);
            return 0;
        }
        ReadOnlySpan<byte> body = payload[IcMessage.HeaderSize..];
        body.CopyTo(buffer);
        if (FcopyWire.Operation(body) == FcopyWire.StartFileCopy && length >= FcopyWire.StartSize)
        {
            // B.7: the host's UTF-16LE names, converted as the legacy kernel did (259 UTF-8 bytes max).
            FcopyNames.Utf16ToUtf8(body.Slice(FcopyWire.FileNameOffset, FcopyWire.NameFieldSize), buffer.Slice(FcopyWire.FileNameOffset, FcopyWire.NameFieldSize));
            FcopyNames.Utf16ToUtf8(body.Slice(FcopyWire.PathNameOffset, FcopyWire.NameFieldSize), buffer.Slice(FcopyWire.PathNameOffset, FcopyWire.NameFieldSize));
        }
        return length;
    }

    /// <summary>The channel's 4-byte status becomes the IC response: the request payload with status and icflags set (B.5).</summary>
    public void Write(ReadOnlySpan<byte> message)
    {
        if (!_replyPending || message.Length != 4)
        {
            throw new DeviceIoException($"{Description}: a {message.Length}-byte reply with no request to answer", Errno.EINVAL);
        }
        _replyPending = false;
        Span<byte> payload = _packet.AsSpan(_replyOffset, _replyLength);
        IcMessage.MakeResponse(payload, BinaryPrimitives.ReadUInt32LittleEndian(message));
        Send(payload, _replyTransaction);
    }

    /// <summary>
    /// B.4.4 with the recommended fix: a full TX ring is waited out (pending_send_sz tells the
    /// host how much room is needed; each retry signals it) instead of exiting. The replies
    /// echo the request's transaction id, as the kernel's IC drivers do.
    /// </summary>
    private void Send(ReadOnlySpan<byte> payload, ulong transaction)
    {
        long deadline = Environment.TickCount64 + (long)SendTimeout.TotalMilliseconds;
        while (!_tx.TryWrite(payload, transaction))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new DeviceIoException($"{Description}: the TX ring stayed full for {SendTimeout.TotalSeconds:0} s", Errno.ETIMEDOUT);
            }
            _tx.PendingSendSize = (uint)VmbusRing.PacketSpace(payload.Length) + 1;
            Signal();
            Thread.Sleep(1);
        }
        _tx.PendingSendSize = 0;
        Signal();
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
