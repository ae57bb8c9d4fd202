using System.Net.Sockets;

namespace HvUtils.HostSim.Devices;

/// <summary>
/// The kernel side of one <c>/dev/vmbus/hv_*</c> device, played on a Unix SOCK_SEQPACKET
/// socket (design.md): one opener at a time (a second is accepted and closed before any
/// byte, which the daemon's transport reports as EBUSY), message-size rules, the
/// registration reply, reset on close, and host-side timeouts. Where the kernel would fail
/// a write with EINVAL the simulator closes the connection.
/// </summary>
public abstract partial class SimulatedDevice : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _oneRequest = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Socket? _connection;
    private Task? _acceptLoop;
    private TaskCompletionSource<byte[]>? _pending;
    private DeviceState _state = DeviceState.Closed;
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected SimulatedDevice(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>"kvp", "vss", "fcopy".</summary>
    public string Name { get; }

    /// <summary>The socket path the daemon is configured with as its device path.</summary>
    public string Path { get; }

    /// <summary>How long the host waits for the daemon's reply (the kernel's HV_UTIL_TIMEOUT, 30 s; tests shorten it).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public DeviceState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Openers accepted as the device's one connection.</summary>
    public int Connections { get; private set; }

    /// <summary>Successful registration handshakes.</summary>
    public int Registrations { get; private set; }

    /// <summary>Second openers refused while the device was held (EBUSY).</summary>
    public int RefusedOpeners { get; private set; }

    /// <summary>Connections the simulator closed because the kernel would have failed the write (EINVAL).</summary>
    public int RefusedWrites { get; private set; }

    /// <summary>Plain-words events ("daemon registered", "reply refused: 11 bytes"), for the demo and test logs.</summary>
    public event Action<string>? Event;

    /// <summary>Largest daemon write the simulator accepts into one receive (anything larger is refused).</summary>
    protected virtual int MaxDaemonWrite => 65536;

    /// <summary>Handles a write made before registration; returns the reply to queue (empty = none) or null to refuse (EINVAL).</summary>
    protected abstract byte[]? Register(ReadOnlySpan<byte> message);

    /// <summary>True when <paramref name="length"/> is a reply size the kernel accepts (spec/transport.md §5).</summary>
    protected abstract bool IsValidReplyLength(int length);

    /// <summary>Creates the socket and starts accepting openers.</summary>
    public void Start()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.Delete(Path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path));
        listener.Listen(8);
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Waits until the device reaches <paramref name="state"/>.</summary>
    public async Task WaitForStateAsync(DeviceState state, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_state == state)
                {
                    return;
                }
                changed = _stateChanged.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: still {State} after {timeout.TotalSeconds:0.#} s, expected {state}");
            }
        }
    }

    /// <summary>
    /// Sends one host request to the daemon and returns its reply. Throws
    /// <see cref="HostRequestException"/> when the kernel would answer the host HV_E_FAIL:
    /// no daemon registered, the daemon closed, or no reply within <see cref="RequestTimeout"/>.
    /// </summary>
    public async Task<byte[]> RequestAsync(ReadOnlyMemory<byte> message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TaskCompletionSource<byte[]> pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Socket connection;
            lock (_lock)
            {
                if (_state != DeviceState.Ready || _connection is null)
                {
                    throw new HostRequestException($"{Name}: no daemon registered (state {_state})");
                }
                connection = _connection;
                _pending = pending;
                SetState(DeviceState.UserspaceReq);
            }
            try
            {
                await connection.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                Reset(connection, $"send failed: {ex.SocketErrorCode}");
            }
            return await WaitForReplyAsync(pending, timeout ?? RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneRequest.Release();
        }
    }

    private async Task<byte[]> WaitForReplyAsync(TaskCompletionSource<byte[]> pending, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                // The kernel's timer fired: host answered HV_E_FAIL, state READY; a late reply is now spurious (§8.2).
                if (_pending == pending)
                {
                    _pending = null;
                    SetState(DeviceState.Ready);
                }
            }
            Raise($"no reply within {timeout.TotalSeconds:0.###} s: host answered HV_E_FAIL");
            throw new HostRequestException($"{Name}: no reply within {timeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Closes the daemon's connection as the kernel does when the driver goes away (the daemon sees an error and reopens).</summary>
    public void DropConnection()
    {
        Socket? c;
        lock (_lock)
        {
            c = _connection;
        }
        if (c is not null)
        {
            Reset(c, "connection dropped by the host side");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Dispose();
        DropConnection();
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
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }

    protected void Raise(string what) => Event?.Invoke($"{Name}: {what}");

    private void SetState(DeviceState state)
    {
        _state = state;
        TaskCompletionSource old = _stateChanged;
        _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
