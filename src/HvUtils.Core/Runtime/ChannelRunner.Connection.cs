using System.Diagnostics;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;
using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Runtime;

// One open device: register, then serve until an error or shutdown.
public sealed partial class ChannelRunner
{
    /// <summary>How long the kernel's handshake reply may take; it is queued inside our write (spec/transport.md §7), so this only guards a broken peer.</summary>
    public static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A connection that lasted this long resets the back-off, so a flapping device cannot spin.</summary>
    private static readonly TimeSpan StableConnection = TimeSpan.FromSeconds(1);

    private void RunConnection(EpollSet epoll, IDeviceTransport transport)
    {
        byte[] request = GC.AllocateUninitializedArray<byte>(_channel.MaxMessageSize, pinned: true);
        byte[] reply = GC.AllocateArray<byte>(Math.Max(_channel.MaxReplySize, 64), pinned: true);
        long openedAt = Stopwatch.GetTimestamp();
        long messagesAtOpen = MessageCounts.Total;
        bool registered = false;
        epoll.Add(transport.Fd, Native.EPOLLIN, DeviceToken);
        try
        {
            if (transport.NeedsRegistration)
            {
                Register(epoll, transport, request, reply);
            }
            registered = true;
            SetState(ChannelState.Registered, transport.Description);
            Serve(epoll, transport, request, reply);
        }
        catch (DeviceIoException ex)
        {
            if (!_stopping)
            {
                ReportConnectionLoss(ex, registered);
            }
        }
        finally
        {
            epoll.Remove(transport.Fd);
            transport.Dispose();
            ResetChannel();
        }
        // A connection that handled a request proved the device works: losing it is a transaction
        // fault (a refused late reply, hibernation: spec/transport.md §8.2, §11) that the host paces,
        // not a flapping device, so the reopen comes at once (re-registration within 1 s, issue 9).
        if (registered && (Stopwatch.GetElapsedTime(openedAt) >= StableConnection || MessageCounts.Total > messagesAtOpen))
        {
            _backoff.Reset();
        }
        Sleep(epoll, _backoff.Next());
    }

    private void ReportConnectionLoss(DeviceIoException ex, bool registered)
    {
        Interlocked.Increment(ref _reconnects);
        _metrics?.Reconnects.Add(1, new KeyValuePair<string, object?>("channel", _channel.Name));
        if (ex.Errno == Errno.EBUSY)
        {
            SetState(ChannelState.Waiting, $"{ex.Message} (another daemon such as hv_{_channel.Name}_daemon?); retrying");
        }
        else
        {
            SetState(ChannelState.Error, registered ? $"connection lost: {ex.Message}; reopening" : $"registration failed: {ex.Message}");
        }
    }

    private void ResetChannel()
    {
        try
        {
            _channel.OnConnectionReset();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Channel}: resetting after the connection closed failed", _channel.Name);
        }
    }

    private void Register(EpollSet epoll, IDeviceTransport transport, byte[] request, byte[] reply)
    {
        Array.Clear(reply);
        int length = _channel.WriteRegistration(reply);
        if (length == 0)
        {
            return;
        }
        transport.Write(reply.AsSpan(0, length));
        long deadline = Stopwatch.GetTimestamp() + (long)(RegistrationTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            int remainingMs = (int)Math.Max(0, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (!epoll.Wait(remainingMs, out int token, out _))
            {
                throw new DeviceIoException($"no registration reply from {transport.Description} within {RegistrationTimeout.TotalSeconds:0} s", Errno.ETIMEDOUT);
            }
            if (token == StopToken)
            {
                throw new DeviceIoException("stopping");
            }
            if (token != DeviceToken)
            {
                continue;
            }
            int n = transport.Read(request);
            if (n == 0)
            {
                continue;
            }
            if (!_channel.AcceptRegistrationReply(request.AsSpan(0, n)))
            {
                throw new DeviceIoException($"unexpected {n}-byte registration reply from {transport.Description}");
            }
            return;
        }
    }

    private void Serve(EpollSet epoll, IDeviceTransport transport, byte[] request, byte[] reply)
    {
        IReadOnlyList<ChannelEventSource> sources = _channel.EventSources;
        for (int i = 0; i < sources.Count; i++)
        {
            epoll.Add(sources[i].Fd, sources[i].Events, FirstSourceToken + i);
        }
        try
        {
            // A transport can hold messages no wake-up will announce (a UIO ring filled before it
            // was opened, spec/fcopy.md B.8 step 2): they are served before the first wait.
            if (transport.HasPendingMessage)
            {
                ReadAndReply(transport, request, reply);
            }
            while (!_stopping)
            {
                epoll.Wait(-1, out int token, out uint events);
                if (token == StopToken)
                {
                    return;
                }
                if (token >= FirstSourceToken)
                {
                    RunSource(sources[token - FirstSourceToken]);
                    continue;
                }
                if (token == DeviceToken)
                {
                    ReadAndReply(transport, request, reply);
                }
            }
        }
        finally
        {
            for (int i = 0; i < sources.Count; i++)
            {
                epoll.Remove(sources[i].Fd);
            }
        }
    }

    private void ReadAndReply(IDeviceTransport transport, byte[] request, byte[] reply)
    {
        do
        {
            int n = transport.Read(request);
            if (n == 0)
            {
                return;
            }
            HandledMessage handled = HandleOne(request.AsSpan(0, n), reply);
            if (handled.ReplyLength > 0)
            {
                transport.Write(reply.AsSpan(0, handled.ReplyLength));
            }
            if (handled.ResetDevice)
            {
                throw new DeviceIoException($"{_channel.Name} asked for a device reset after a {n}-byte {handled.Operation} message");
            }
        }
        while (transport.HasPendingMessage && !_stopping);
    }

    /// <summary>Calls the channel with a zeroed reply buffer (design.md: nothing stale in replies) and records the outcome.</summary>
    private HandledMessage HandleOne(ReadOnlySpan<byte> request, byte[] reply)
    {
        Array.Clear(reply);
        // Plain volatile stores, not interlocked ones: only this thread writes these fields, and
        // a reader (status, watchdog) that sees the previous value for a moment loses nothing.
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _busySince, start);
        HandledMessage handled;
        try
        {
            handled = _channel.Handle(request, reply);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Channel}: request of {Length} bytes failed unexpectedly; answering with an error status", _channel.Name, request.Length);
            Array.Clear(reply);
            handled = new HandledMessage(_channel.WriteFailureReply(request, reply), "unknown", "internal_error");
        }
        finally
        {
            Volatile.Write(ref _busySince, 0);
        }
        Record(handled, start);
        return handled;
    }

    private void Record(HandledMessage handled, long start)
    {
        _lastOperation = handled.Operation;
        _lastOutcome = handled.Outcome;
        // The monotonic start stamp, not a wall-clock read per message: Status converts it.
        Volatile.Write(ref _lastRequestStamp, start);
        MessageCounts.Add(handled.Operation, handled.Outcome);
        if (_durations is { Enabled: true } d)
        {
            d.Add(handled.Operation, handled.Outcome, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private void RunSource(ChannelEventSource source)
    {
        Volatile.Write(ref _busySince, Stopwatch.GetTimestamp());
        try
        {
            source.OnReady();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Channel}: event handler failed", _channel.Name);
        }
        finally
        {
            Volatile.Write(ref _busySince, 0);
        }
    }
}
