using System.Diagnostics;
using System.Net.Sockets;

namespace HvUtils.HostSim.Devices;

// Fault injection (issue 9 point 2): what the kernel does to the daemon when a transaction,
// the device or the whole guest misbehaves. Every fault ends in the connection being closed
// exactly as the kernel's EINVAL/release() path would, so the daemon must close, reopen and
// re-register (spec/transport.md §8.2, §8.4, §11).
public abstract partial class SimulatedDevice
{
    private bool _refuseNextReply;
    private long _lastResetTimestamp;
    private long _lastRegistrationTimestamp;

    /// <summary>
    /// The message the kernel queues for the daemon on hibernation (spec/transport.md §11):
    /// VSS a faked THAW, FCOPY a faked CANCEL_FCOPY; null (KVP) means the channel just closes.
    /// </summary>
    protected virtual byte[]? HibernationMessage => null;

    /// <summary>
    /// Time from the last connection close to the registration that followed it, measured on
    /// the simulator side; null until a registration has followed a close.
    /// </summary>
    public TimeSpan? LastReregistrationDelay
    {
        get
        {
            lock (_lock)
            {
                return _lastResetTimestamp != 0 && _lastRegistrationTimestamp > _lastResetTimestamp
                    ? Stopwatch.GetElapsedTime(_lastResetTimestamp, _lastRegistrationTimestamp)
                    : null;
            }
        }
    }

    /// <summary>The daemon's next well-sized reply is refused (the kernel's EINVAL) and the connection closed.</summary>
    public void RefuseNextReply()
    {
        lock (_lock)
        {
            _refuseNextReply = true;
        }
    }

    /// <summary>
    /// Delivers <paramref name="message"/> as a request and closes the connection before the
    /// reply can be read: the host's transaction fails and whatever the daemon writes is lost.
    /// </summary>
    public async Task DropMidTransactionAsync(ReadOnlyMemory<byte> message)
    {
        Socket connection = await SendUnsolicitedAsync(message).ConfigureAwait(false);
        Reset(connection, "fault: connection dropped mid-transaction");
    }

    /// <summary>
    /// Hibernation (spec/transport.md §11): the kernel queues its faked message with the state
    /// forced READY, so the daemon's reply to it is refused and the connection closed (KVP: the
    /// channel just closes); then the device is gone until <see cref="Resume"/>.
    /// </summary>
    public async Task HibernateAsync(TimeSpan timeout)
    {
        if (HibernationMessage is { } faked)
        {
            await SendUnsolicitedAsync(faked).ConfigureAwait(false);
            await WaitForStateAsync(DeviceState.Closed, timeout).ConfigureAwait(false);
        }
        else
        {
            DropConnection();
        }
        Disappear();
    }

    /// <summary>The device node vanishes (driver unload): connection closed, socket removed, no openers accepted.</summary>
    public void Disappear()
    {
        _listener?.Dispose();
        _listener = null;
        DropConnection();
        File.Delete(Path);
        Raise("device removed");
    }

    /// <summary>The device node comes back (resume, driver reload).</summary>
    public void Resume()
    {
        Start();
        Raise("device back");
    }

    /// <summary>Writes a message with no host transaction waiting for it (state stays READY: any reply is spurious).</summary>
    private async Task<Socket> SendUnsolicitedAsync(ReadOnlyMemory<byte> message)
    {
        Socket connection;
        lock (_lock)
        {
            if (_state != DeviceState.Ready || _connection is null)
            {
                throw new HostRequestException($"{Name}: no daemon registered (state {_state})");
            }
            connection = _connection;
        }
        await connection.SendAsync(message, SocketFlags.None).ConfigureAwait(false);
        return connection;
    }

    /// <summary>True (once) when the reply now arriving must be refused as a failed write.</summary>
    private bool TakeReplyFault()
    {
        lock (_lock)
        {
            bool refuse = _refuseNextReply;
            _refuseNextReply = false;
            return refuse;
        }
    }

    private void MarkReset()
    {
        _lastResetTimestamp = Stopwatch.GetTimestamp();
    }

    private void MarkRegistered()
    {
        _lastRegistrationTimestamp = Stopwatch.GetTimestamp();
    }
}
