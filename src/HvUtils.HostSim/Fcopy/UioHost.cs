using System.Buffers.Binary;
using System.Net.Sockets;
using HvUtils.Core.Interop;
using HvUtils.Fcopy.Uio;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Fcopy;

/// <summary>
/// The host and kernel side of the UIO fcopy channel (spec/fcopy.md B.9): a fake sysfs tree,
/// the ring pair as a 2R-byte file both sides map MAP_SHARED, and — standing in for
/// <c>/dev/uioN</c> — a SEQPACKET socket at the node path exchanging 4-byte values
/// (host → guest: the interrupt counter; guest → host: irq control, B.2).
/// On every open the host negotiates (framework 3.0, fcopy 1.1) unless <see cref="AutoNegotiate"/> is off.
/// </summary>
public sealed partial class UioHost : IAsyncDisposable
{
    public const string InstanceGuid = "eb765408-105f-49b6-b4aa-c123b64d17d4";

    private readonly object _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _oneRequest = new(1, 1);
    private Socket? _listener;
    private Socket? _connection;
    private Task? _acceptLoop;
    private TaskCompletionSource<byte[]>? _pending;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private nint _map;
    private uint _counter;
    private byte _transaction;
    private bool _firstPacket;

    private UioHost(string directory, int ringSize)
    {
        Directory = directory;
        RingSize = ringSize;
        SysfsRoot = Path.Combine(directory, "sys");
        DevRoot = Path.Combine(directory, "dev");
        NodePath = Path.Combine(DevRoot, "uio0");
        RingPath = Path.Combine(directory, "uio0.rings");
    }

    public string Directory { get; }

    /// <summary>R, one ring (16384 on 6.10–6.15, 20480 from 6.16).</summary>
    public int RingSize { get; }

    public string SysfsRoot { get; }

    public string DevRoot { get; }

    public string NodePath { get; }

    public string RingPath { get; }

    /// <summary>Host → guest ring (the guest's RX), at offset R.</summary>
    public VmbusRing HostToGuest { get; private set; } = null!;

    /// <summary>Guest → host ring (the guest's TX), at offset 0.</summary>
    public VmbusRing GuestToHost { get; private set; } = null!;

    /// <summary>Negotiate on every open with framework 3.0 / fcopy 1.1 (off: tests drive <see cref="NegotiateAsync"/>).</summary>
    public bool AutoNegotiate { get; set; } = true;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int Connections { get; private set; }

    public int RefusedOpeners { get; private set; }

    /// <summary>Status of the last negotiation reply (null: none yet on this connection).</summary>
    public uint? NegotiatedStatus { get; private set; }

    /// <summary>Packets from the guest the host could not parse.</summary>
    public int BadReplies { get; private set; }

    public event Action<string>? Event;

    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _connection is not null;
            }
        }
    }

    /// <summary>The hvutilsd settings that select this device.</summary>
    public IEnumerable<string> DaemonArguments() =>
    [
        "--Fcopy:Transport=uio",
        $"--Fcopy:SysfsRoot={SysfsRoot}",
        $"--Fcopy:DevRoot={DevRoot}",
        $"--Fcopy:UioRingPath={RingPath}",
    ];

    /// <summary>Builds the sysfs tree and the ring file and starts listening at the uio node.</summary>
    public static UioHost Create(string directory, int ringSize = 16384, bool start = true)
    {
        var host = new UioHost(directory, ringSize);
        host.BuildSysfs();
        host.MapRings();
        if (start)
        {
            host.Start();
        }
        return host;
    }

    private void BuildSysfs()
    {
        string dev = Path.Combine(SysfsRoot, "bus", "vmbus", "devices", InstanceGuid);
        System.IO.Directory.CreateDirectory(Path.Combine(dev, "uio", "uio0"));
        File.WriteAllText(Path.Combine(dev, "class_id"), $"{{{UioDiscovery.ClassGuid}}}\n");
        // A second VMBus device of another class, so discovery really has to look at class_id.
        string other = Path.Combine(SysfsRoot, "bus", "vmbus", "devices", "242ff919-07db-4180-9c2e-b86cb68c8c55");
        System.IO.Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "class_id"), "{a9a0f4e7-5a45-4d96-b827-8a841e8c03e6}\n");
        string map0 = Path.Combine(SysfsRoot, "class", "uio", "uio0", "maps", "map0");
        System.IO.Directory.CreateDirectory(map0);
        File.WriteAllText(Path.Combine(map0, "size"), $"0x{2 * RingSize:x}\n");
        System.IO.Directory.CreateDirectory(DevRoot);
    }

    private void MapRings()
    {
        int fd = Native.Open(RingPath, Native.O_RDWR | Native.O_CREAT | Native.O_TRUNC | Native.O_CLOEXEC, 0x180);
        if (fd < 0 || Native.FTruncate(fd, 2L * RingSize) < 0)
        {
            throw new IOException($"cannot create {RingPath}: {Errno.Describe(-fd)}");
        }
        _map = Native.MapShared(fd, 2L * RingSize);
        Native.Close(fd);
        if (_map < 0)
        {
            throw new IOException($"cannot map {RingPath}: {Errno.Describe((int)-_map)}");
        }
        GuestToHost = new VmbusRing(_map, RingSize);
        HostToGuest = new VmbusRing(_map + RingSize, RingSize);
        ResetRings();
    }

    /// <summary>What the kernel does when the channel opens: zeroed headers, feat_pending_send_sz, RX masked (B.2, B.3.1).</summary>
    private void ResetRings()
    {
        GuestToHost.Initialize();
        HostToGuest.Initialize();
        HostToGuest.InterruptMask = 1;
    }

    public void Start()
    {
        File.Delete(NodePath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(NodePath));
        listener.Listen(8);
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Waits for a daemon to open the device (and, with <see cref="AutoNegotiate"/>, to answer the negotiation).</summary>
    public Task WaitConnectedAsync(TimeSpan timeout)
    {
        Task t;
        lock (_lock)
        {
            t = _connected.Task;
        }
        return t.WaitAsync(timeout);
    }

    private void Raise(string e) => Event?.Invoke($"fcopy-uio: {e}");

    /// <summary>Writes one request into the host → guest ring (waiting while it is full) and interrupts the guest.</summary>
    private async Task SendPacketAsync(byte[] payload, CancellationToken cancellationToken)
    {
        long deadline = Environment.TickCount64 + (long)RequestTimeout.TotalMilliseconds;
        while (true)
        {
            Socket c = _connection ?? throw new HostRequestException("fcopy-uio: no daemon has the device open");
            bool wasEmpty = HostToGuest.BytesToRead == 0;
            if (HostToGuest.TryWrite(payload, ++_transaction | 0x10000UL, flags: 1))
            {
                // The kernel's interrupt handler: mask, then bump the counter (B.2). On Linux the
                // guest's unmask (write 1 to /dev/uioN) clears the mask synchronously; here it
                // arrives asynchronously over the socket, so a mask still set may already be
                // stale: interrupt for every packet into an empty ring (an extra interrupt is
                // harmless — the guest drains nothing — a missed one would stall the copy).
                if (wasEmpty || _firstPacket)
                {
                    _firstPacket = false;
                    HostToGuest.InterruptMask = 1;
                    byte[] v = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(v, ++_counter);
                    try
                    {
                        await c.SendAsync(v, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                    }
                }
                return;
            }
            if (Environment.TickCount64 > deadline)
            {
                throw new HostRequestException($"fcopy-uio: the host → guest ring stayed full ({payload.Length}-byte payload, {HostToGuest.DataSize}-byte ring)");
            }
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Dispose();
        Socket? c;
        lock (_lock)
        {
            c = _connection;
        }
        c?.Dispose();
        if (_acceptLoop is not null)
        {
            try
            {
                await _acceptLoop.ConfigureAwait(false);
            }
            catch (Exception)
            {
            }
        }
        if (_map > 0)
        {
            Native.Unmap(_map, 2L * RingSize);
            _map = 0;
        }
        try
        {
            File.Delete(NodePath);
        }
        catch (IOException)
        {
        }
    }
}
