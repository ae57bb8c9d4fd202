using System.Net.Sockets;

namespace HvUtils.HostSim.Devices;

// The daemon side of the socket: accepting openers and reading what the daemon writes.
public abstract partial class SimulatedDevice
{
    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (await DeviceListener.AcceptAsync(_listener!, _stop.Token).ConfigureAwait(false) is not { } accepted)
            {
                return;
            }
            bool busy;
            lock (_lock)
            {
                busy = _connection is not null;
                if (!busy)
                {
                    _connection = accepted;
                    Connections++;
                    SetState(DeviceState.DeviceInit);
                }
            }
            if (busy)
            {
                // A second open() of the char device fails with EBUSY (spec/transport.md §3).
                RefusedOpeners++;
                accepted.Dispose();
                Raise("second opener refused (EBUSY)");
                continue;
            }
            Raise("device opened");
            _ = Task.Run(() => ReceiveLoopAsync(accepted));
        }
    }

    private async Task ReceiveLoopAsync(Socket connection)
    {
        byte[] buffer = new byte[MaxDaemonWrite + 1];
        try
        {
            while (true)
            {
                int n = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    Reset(connection, "daemon closed the device");
                    return;
                }
                if (!OnDaemonWrite(connection, buffer.AsSpan(0, n)))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Reset(connection, "connection closed");
        }
    }

    /// <summary>One write(2) by the daemon; false when the connection was closed for it.</summary>
    private bool OnDaemonWrite(Socket connection, ReadOnlySpan<byte> message)
    {
        DeviceState state;
        lock (_lock)
        {
            state = _state;
        }
        switch (state)
        {
            case DeviceState.DeviceInit:
                return OnRegistration(connection, message);
            case DeviceState.UserspaceReq when IsValidReplyLength(message.Length) && TakeReplyFault():
                return Refuse(connection, $"fault: {message.Length}-byte reply refused (EINVAL)");
            case DeviceState.UserspaceReq when IsValidReplyLength(message.Length):
                TaskCompletionSource<byte[]>? pending;
                lock (_lock)
                {
                    pending = _pending;
                    _pending = null;
                    SetState(DeviceState.Ready);
                }
                pending?.TrySetResult(message.ToArray());
                return true;
            case DeviceState.UserspaceReq:
                return Refuse(connection, $"reply of {message.Length} bytes has the wrong size (EINVAL)");
            default:
                return Refuse(connection, $"spurious {message.Length}-byte reply with no request outstanding (EINVAL)");
        }
    }

    private bool OnRegistration(Socket connection, ReadOnlySpan<byte> message)
    {
        byte[]? reply = Register(message);
        if (reply is null)
        {
            return Refuse(connection, $"registration of {message.Length} bytes refused (EINVAL)");
        }
        if (reply.Length > 0)
        {
            connection.Send(reply);
        }
        lock (_lock)
        {
            Registrations++;
            MarkRegistered();
            SetState(DeviceState.Ready);
        }
        Raise("daemon registered");
        return true;
    }

    private bool Refuse(Socket connection, string why)
    {
        RefusedWrites++;
        Reset(connection, why);
        return false;
    }

    /// <summary>The kernel's release(): answer a waiting host request HV_E_FAIL, back to "no daemon" (spec/transport.md §3).</summary>
    private void Reset(Socket connection, string why)
    {
        TaskCompletionSource<byte[]>? pending = null;
        lock (_lock)
        {
            if (_connection != connection)
            {
                return;
            }
            _connection = null;
            pending = _pending;
            _pending = null;
            MarkReset();
            SetState(DeviceState.Closed);
        }
        connection.Dispose();
        pending?.TrySetException(new HostRequestException($"{Name}: {why}; host answered HV_E_FAIL"));
        Raise(why);
    }
}
