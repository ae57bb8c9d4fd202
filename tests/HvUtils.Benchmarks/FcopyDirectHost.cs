using System.Buffers.Binary;
using System.Net.Sockets;
using HvUtils.Core.Interop;
using HvUtils.Fcopy;
using HvUtils.Fcopy.Uio;
using HvUtils.HostSim.Fcopy;

namespace HvUtils.Benchmarks;

/// <summary>
/// The kernel/host side of one fcopy transport as a tight synchronous loop (the shape of the C
/// load driver behind spec/quirks.md's baseline): one blocking send and one blocking receive
/// per message, prebuilt messages, no tasks. <see cref="Send"/> takes an fcopy message from its
/// hv_fcopy_hdr on and returns the daemon's 4-byte status.
/// </summary>
internal abstract class FcopyDirectHost : IDisposable
{
    public abstract string Transport { get; }

    /// <summary>The hvutilsd settings that select this device.</summary>
    public abstract IEnumerable<string> DaemonArguments();

    /// <summary>Accepts the daemon's open and completes the handshake (legacy) or the IC negotiation (UIO).</summary>
    public abstract void Connect(TimeSpan timeout);

    /// <summary>Builds START_FILE_COPY with names in this transport's format.</summary>
    public abstract byte[] Start(string fileName, string pathName, uint flags, ulong fileSize);

    /// <summary>
    /// Room in front of a message for this transport's framing (the UIO IC headers): messages
    /// prebuilt at this offset are sent without copying.
    /// </summary>
    public virtual int Headroom => 0;

    /// <summary>How long COMPLETE/CANCEL reach the daemon: 36 bytes, or 64 through the legacy kernel (§A.2).</summary>
    public virtual int ControlLength => FcopyWire.HeaderSize;

    /// <summary>One round trip: <paramref name="framed"/> = <see cref="Headroom"/> bytes of room, then the fcopy message.</summary>
    public abstract uint Send(Span<byte> framed);

    public abstract void Dispose();

    protected static Socket Listen(string path)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        return listener;
    }

    protected static Socket Accept(Socket listener, TimeSpan timeout)
    {
        if (!listener.Poll(timeout, SelectMode.SelectRead))
        {
            throw new TimeoutException($"hvutilsd did not open the device within {timeout.TotalSeconds:0} s");
        }
        Socket accepted = listener.Accept();
        // The kernel's per-request timeout (spec/fcopy.md §A.4): a stuck daemon fails the run instead of hanging it.
        accepted.ReceiveTimeout = 30_000;
        return accepted;
    }

    protected static void SendAll(int fd, ReadOnlySpan<byte> message)
    {
        long n = Native.SendMessage(fd, message);
        if (n != message.Length)
        {
            throw new IOException($"send of {message.Length} bytes to hvutilsd failed: {n}");
        }
    }

    protected static int Receive(int fd, Span<byte> buffer)
    {
        long n = Native.ReceiveMessage(fd, buffer);
        if (n <= 0 || n > buffer.Length)
        {
            throw new IOException($"receive from hvutilsd failed: {n}");
        }
        return (int)n;
    }
}

/// <summary>The legacy char device (spec/fcopy.md part A): version-1 handshake, then message → 4-byte status.</summary>
internal sealed class LegacyDirectHost : FcopyDirectHost
{
    private readonly string _path;
    private readonly Socket _listener;
    private readonly byte[] _status = new byte[8];
    private Socket? _kernel;
    private int _fd = -1;

    public LegacyDirectHost(string directory)
    {
        _path = Path.Combine(directory, "hv_fcopy");
        _listener = Listen(_path);
    }

    public override string Transport => "legacy";

    public override int ControlLength => FcopyWire.HeaderSize + IcMessage.HeaderSize;

    public override IEnumerable<string> DaemonArguments() => ["--Fcopy:Transport=legacy", $"--Fcopy:DevicePath={_path}"];

    public override void Connect(TimeSpan timeout)
    {
        _kernel = Accept(_listener, timeout);
        _fd = (int)_kernel.Handle;
        if (Receive(_fd, _status) != 4 || BinaryPrimitives.ReadUInt32LittleEndian(_status) != FcopyChannel.Version1)
        {
            throw new IOException("unexpected fcopy registration");
        }
        SendAll(_fd, _status.AsSpan(0, 4));
    }

    public override byte[] Start(string fileName, string pathName, uint flags, ulong fileSize) =>
        FcopyMessages.Start(fileName, pathName, flags, fileSize, utf16: false);

    public override uint Send(Span<byte> framed)
    {
        SendAll(_fd, framed);
        return Receive(_fd, _status) == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(_status) : throw new IOException("reply is not 4 bytes");
    }

    public override void Dispose()
    {
        _kernel?.Dispose();
        _listener.Dispose();
        File.Delete(_path);
    }
}

/// <summary>
/// The UIO ring (spec/fcopy.md part B, B.9 recipe): the simulator's sysfs tree and shared ring
/// file, and the interrupt socket at the uio node. Per message: write the IC-framed packet into
/// the host → guest ring, interrupt (mask 1, counter over the socket), block for the guest's
/// signal, take the reply from the guest → host ring.
/// </summary>
internal sealed class UioDirectHost : FcopyDirectHost
{
    private readonly UioHost _sim;
    private readonly Socket _listener;
    private readonly byte[] _signal = new byte[16];
    private readonly byte[] _packet;
    private readonly byte[] _fcopyHeader = IcMessage.Request(IcMessage.TypeFcopy, 1, 1, [], 0);

    /// <summary>Room for a reply's descriptor (offset8 up to 8, 64 bytes) and IC headers.</summary>
    private const int ReplyHead = 64 + IcMessage.HeaderSize;
    private Socket? _node;
    private int _fd = -1;
    private uint _counter;
    private ulong _transaction;

    public UioDirectHost(string directory)
    {
        // Only the fake sysfs tree and the mapped ring file of the simulator's host; its async loops stay off.
        _sim = UioHost.Create(directory, start: false);
        _listener = Listen(_sim.NodePath);
        _packet = new byte[_sim.RingSize];
    }

    public override string Transport => "uio";

    public override int Headroom => IcMessage.HeaderSize;

    public override IEnumerable<string> DaemonArguments() => _sim.DaemonArguments();

    public override void Connect(TimeSpan timeout)
    {
        _node = Accept(_listener, timeout);
        _fd = (int)_node.Handle;
        byte[] negotiate = IcMessage.Request(IcMessage.TypeNegotiate, 3, 0, IcMessage.NegotiateBody([(3, 0)], [(1, 1)]), 0);
        if (RoundTrip(negotiate) != 0)
        {
            throw new IOException("IC negotiation refused");
        }
    }

    public override byte[] Start(string fileName, string pathName, uint flags, ulong fileSize) =>
        FcopyMessages.Start(fileName, pathName, flags, fileSize, utf16: true);

    public override uint Send(Span<byte> framed)
    {
        // The IC headers are rewritten in the headroom (B.5); the message behind them is not copied.
        _fcopyHeader.CopyTo(framed);
        BinaryPrimitives.WriteUInt16LittleEndian(framed[IcMessage.MessageSizeOffset..], (ushort)(framed.Length - IcMessage.HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(framed[4..], (uint)(framed.Length - 8));
        return RoundTrip(framed);
    }

    private uint RoundTrip(ReadOnlySpan<byte> payload)
    {
        VmbusRing toGuest = _sim.HostToGuest;
        if (!toGuest.TryWrite(payload, ++_transaction, flags: 1))
        {
            throw new IOException("host → guest ring full: the guest left a request unanswered");
        }
        // The kernel's interrupt handler (B.2): mask, bump the counter. Every request goes into an
        // empty ring here (one request at a time), so every request interrupts.
        toGuest.InterruptMask = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(_signal, ++_counter);
        SendAll(_fd, _signal.AsSpan(0, 4));
        while (true)
        {
            // The guest's write(1) (B.2): unmask, and the host looks at its TX ring.
            if (Receive(_fd, _signal) != 4)
            {
                throw new IOException("irq control of the wrong size");
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(_signal) == 0)
            {
                toGuest.InterruptMask = 1;
                continue;
            }
            toGuest.InterruptMask = 0;
            // Only the descriptor and IC headers: the reply echoes the request, and its status is all the host reads.
            int len = _sim.GuestToHost.TryReadHead(_packet.AsSpan(0, ReplyHead));
            if (len < 0)
            {
                throw new IOException("corrupt packet from the guest");
            }
            if (len > 0)
            {
                int offset = BinaryPrimitives.ReadUInt16LittleEndian(_packet.AsSpan(2)) * 8;
                return BinaryPrimitives.ReadUInt32LittleEndian(_packet.AsSpan(offset + IcMessage.StatusOffset));
            }
        }
    }

    public override void Dispose()
    {
        _node?.Dispose();
        _listener.Dispose();
        _sim.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
