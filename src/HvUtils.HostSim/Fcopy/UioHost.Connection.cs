using System.Buffers.Binary;
using System.Net.Sockets;
using HvUtils.Fcopy.Uio;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Fcopy;

// One daemon connection: interrupts from the guest, replies drained from its TX ring.
public sealed partial class UioHost
{
    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (await DeviceListener.AcceptAsync(_listener!, _stop.Token).ConfigureAwait(false) is not { } accepted)
            {
                return;
            }
            lock (_lock)
            {
                if (_connection is not null)
                {
                    RefusedOpeners++;
                    accepted.Dispose();
                    continue;
                }
                _connection = accepted;
                _firstPacket = true;
                NegotiatedStatus = null;
                Connections++;
            }
            Raise("device opened; channel open");
            _ = Task.Run(() => ReceiveLoopAsync(accepted));
            if (AutoNegotiate)
            {
                _ = Task.Run(AutoNegotiateAsync);
            }
            else
            {
                _connected.TrySetResult();
            }
        }
    }

    private async Task AutoNegotiateAsync()
    {
        try
        {
            await NegotiateAsync([(3, 0)], [(1, 1)]).ConfigureAwait(false);
            _connected.TrySetResult();
        }
        catch (HostRequestException ex)
        {
            Raise($"negotiation failed: {ex.Message}");
        }
    }

    /// <summary>Sends a negotiate request offering these versions; returns the reply payload.</summary>
    public async Task<byte[]> NegotiateAsync((ushort, ushort)[] frameworks, (ushort, ushort)[] messages)
    {
        byte[] payload = IcMessage.Request(IcMessage.TypeNegotiate, 3, 0, IcMessage.NegotiateBody(frameworks, messages), 0);
        byte[] reply = await RequestAsync(payload).ConfigureAwait(false);
        NegotiatedStatus = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(IcMessage.StatusOffset));
        Raise($"negotiated: status 0x{NegotiatedStatus:x8}");
        return reply;
    }

    /// <summary>Sends one request payload (IC headers included) and returns the guest's reply payload.</summary>
    public async Task<byte[]> RequestAsync(byte[] payload, CancellationToken cancellationToken = default)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _pending = pending;
            }
            await SendPacketAsync(payload, cancellationToken).ConfigureAwait(false);
            try
            {
                return await pending.Task.WaitAsync(RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new HostRequestException($"fcopy-uio: no reply within {RequestTimeout.TotalSeconds:0.###} s");
            }
        }
        finally
        {
            lock (_lock)
            {
                _pending = null;
            }
            _oneRequest.Release();
        }
    }

    /// <summary>Sends one fcopy message (from its hv_fcopy_hdr on) as a type-7 IC request; returns the status.</summary>
    public async Task<uint> SendFcopyAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        byte[] reply = await RequestAsync(IcMessage.Request(IcMessage.TypeFcopy, 1, 1, message.Span, 0), cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(IcMessage.StatusOffset));
    }

    /// <summary>Writes raw bytes into the host → guest ring as they are (tests: corrupt descriptors) and interrupts the guest.</summary>
    public async Task InjectAsync(Action<VmbusRing> write)
    {
        write(HostToGuest);
        Socket c = _connection ?? throw new HostRequestException("fcopy-uio: not open");
        byte[] v = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, ++_counter);
        await c.SendAsync(v, SocketFlags.None).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(Socket connection)
    {
        byte[] value = new byte[16];
        byte[] packet = new byte[RingSize];
        try
        {
            while (true)
            {
                int n = await connection.ReceiveAsync(value, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                if (n != 4)
                {
                    BadReplies++;
                    continue;
                }
                if (BinaryPrimitives.ReadUInt32LittleEndian(value) == 0)
                {
                    HostToGuest.InterruptMask = 1;
                    continue;
                }
                HostToGuest.InterruptMask = 0;
                DrainReplies(packet);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        Closed(connection);
    }

    private void DrainReplies(byte[] packet)
    {
        while (true)
        {
            int len = GuestToHost.TryRead(packet);
            if (len == 0)
            {
                return;
            }
            if (len < 0)
            {
                BadReplies++;
                Raise("corrupt packet from the guest");
                return;
            }
            int offset = BinaryPrimitives.ReadUInt16LittleEndian(packet.AsSpan(2)) * 8;
            byte[] payload = packet.AsSpan(offset, len - offset).ToArray();
            TaskCompletionSource<byte[]>? pending;
            lock (_lock)
            {
                pending = _pending;
            }
            if (pending is null || payload.Length < IcMessage.HeaderSize || (payload[IcMessage.FlagsOffset] & IcMessage.FlagResponse) == 0)
            {
                BadReplies++;
                continue;
            }
            pending.TrySetResult(payload);
        }
    }

    /// <summary>Last close: the channel closes; the rings are reset for the next open, which renegotiates (B.2).</summary>
    private void Closed(Socket connection)
    {
        TaskCompletionSource<byte[]>? pending;
        lock (_lock)
        {
            if (_connection != connection)
            {
                return;
            }
            _connection = null;
            pending = _pending;
            ResetRings();
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        connection.Dispose();
        pending?.TrySetException(new HostRequestException("fcopy-uio: the daemon closed the device"));
        Raise("device closed; channel closed");
    }

    /// <summary>Closes the daemon's connection, as a rescind would (the daemon reopens and renegotiates).</summary>
    public void DropConnection()
    {
        Socket? c;
        lock (_lock)
        {
            c = _connection;
        }
        c?.Shutdown(SocketShutdown.Both);
    }
}
