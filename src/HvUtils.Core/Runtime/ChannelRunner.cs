using System.Diagnostics;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Logging;
using HvUtils.Core.Telemetry;
using HvUtils.Core.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Runtime;

/// <summary>
/// Runs one channel on its own thread (design.md): wait for the device, open, register,
/// serve; on any device error close, back off, reopen and register again. The thread
/// blocks in epoll_wait with an eventfd for shutdown: no timers while idle.
/// </summary>
public sealed partial class ChannelRunner : IHostedService, IDisposable
{
    private const int StopToken = 0;
    private const int DeviceToken = 1;
    private const int WatchToken = 2;
    private const int FirstSourceToken = 16;

    private readonly IHvChannel _channel;
    private readonly ILogger _logger;
    private readonly HvUtilsMetrics? _metrics;
    private readonly PendingDurations? _durations;
    private readonly ChannelRegistry _registry;
    private readonly TimeProvider _time;
    private readonly int _stopFd;
    private readonly Backoff _backoff = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _faulted;
    private volatile StateRecord _state;
    private volatile string? _lastOperation;
    private volatile string? _lastOutcome;
    private long _lastRequestStamp;
    private long _reconnects;
    private long _busySince;

    public ChannelRunner(IHvChannel channel, ChannelRegistry registry, ILoggerFactory loggerFactory, HvUtilsMetrics? metrics = null, TimeProvider? time = null)
    {
        _channel = channel;
        _registry = registry;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger($"HvUtils.Channel.{channel.Name}");
        _stopFd = Native.EventFd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        if (_stopFd < 0)
        {
            throw new IOException($"eventfd failed: {Errno.Describe(-_stopFd)}");
        }
        _durations = metrics is null ? null : new PendingDurations(metrics.MessageDuration, channel.Name);
        _state = new StateRecord(ChannelState.Starting, "starting", _time.GetUtcNow());
        registry.Add(this);
    }

    public string Name => _channel.Name;

    /// <summary>A snapshot built on demand, so the message path only bumps counters.</summary>
    public ChannelStatus Status
    {
        get
        {
            StateRecord state = _state;
            long last = Volatile.Read(ref _lastRequestStamp);
            DateTimeOffset? lastAt = last == 0 ? null : _time.GetUtcNow() - Stopwatch.GetElapsedTime(last);
            return new ChannelStatus(_channel.Name, state.State, state.Since, state.Detail, _lastOperation, _lastOutcome,
                lastAt, MessageCounts.Total, Interlocked.Read(ref _reconnects));
        }
    }

    /// <summary>Messages handled by (operation, outcome): the hvutils.channel.messages counter.</summary>
    public MessageCounts MessageCounts { get; } = new();

    /// <summary>Records the message durations stored since the last call (called when metrics are collected).</summary>
    public void FlushDurations() => _durations?.Drain();

    /// <summary>Completes when the channel first registered or started waiting for its device.</summary>
    public Task Settled => _settled.Task;

    /// <summary>
    /// The loop is alive while its thread runs and is either waiting (in epoll_wait, for a
    /// device, or backing off) or inside one request for less than the channel's
    /// <see cref="IHvChannel.MaxHandleDuration"/> — so a freeze running its hooks is alive.
    /// </summary>
    public bool IsAlive
    {
        get
        {
            if (_faulted || _thread is null || !_thread.IsAlive)
            {
                return false;
            }
            long busy = Volatile.Read(ref _busySince);
            return busy == 0 || Stopwatch.GetElapsedTime(busy) < _channel.MaxHandleDuration;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { Name = $"hvutils-{_channel.Name}", IsBackground = true };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        Native.EventFdSignal(_stopFd);
        Thread? thread = _thread;
        if (thread is not null)
        {
            return Task.Run(() =>
            {
                while (!thread.Join(50) && !cancellationToken.IsCancellationRequested)
                {
                }
            }, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public void Dispose() => Native.Close(_stopFd);

    private void Run()
    {
        // Every line logged on this thread (the runner's and the channel's) carries channel=<name>.
        using IDisposable? scope = _logger.BeginScope(LogScopes.Channel(_channel.Name));
        try
        {
            using var epoll = new EpollSet();
            epoll.Add(_stopFd, Native.EPOLLIN, StopToken);
            while (!_stopping)
            {
                DeviceOpenResult open = OpenOrWait(epoll);
                if (open.Transport is { } transport)
                {
                    RunConnection(epoll, transport);
                }
            }
        }
        catch (Exception ex)
        {
            // A bug in the runner itself: the channel stops, the others keep serving, the watchdog notices.
            _faulted = true;
            _logger.LogCritical(ex, "channel {Channel} stopped after an internal error", _channel.Name);
        }
        finally
        {
            SetState(ChannelState.Stopped, "stopped");
            _settled.TrySetResult();
        }
    }

    /// <summary>Tries the device until it opens or shutdown; waits on inotify while it is missing, backs off on errors.</summary>
    private DeviceOpenResult OpenOrWait(EpollSet epoll)
    {
        DeviceOpenResult open = _channel.Device.TryOpen();
        if (open.Outcome == DeviceOpenOutcome.Missing)
        {
            // Arm the watch first, then look again, so a device created in between is not missed.
            using DirectoryWatch watch = DirectoryWatch.Create(_channel.Device.WatchDirectory);
            open = _channel.Device.TryOpen();
            if (open.Outcome == DeviceOpenOutcome.Missing)
            {
                SetState(ChannelState.Waiting, $"waiting for {_channel.Device.Path}");
                WaitForChange(epoll, watch);
                return default;
            }
        }
        switch (open.Outcome)
        {
            case DeviceOpenOutcome.Busy:
                SetState(ChannelState.Waiting, $"{open.Detail} (another daemon such as hv_{_channel.Name}_daemon?); retrying");
                Sleep(epoll, _backoff.Next());
                break;
            case DeviceOpenOutcome.Failed:
                SetState(ChannelState.Error, open.Detail);
                Sleep(epoll, _backoff.Next());
                break;
        }
        return open;
    }

    private void WaitForChange(EpollSet epoll, DirectoryWatch watch)
    {
        epoll.Add(watch.Fd, Native.EPOLLIN, WatchToken);
        try
        {
            epoll.Wait(-1, out _, out _);
            watch.Drain();
        }
        finally
        {
            epoll.Remove(watch.Fd);
        }
    }

    /// <summary>Sleeps in epoll_wait so shutdown interrupts it.</summary>
    private void Sleep(EpollSet epoll, TimeSpan delay)
    {
        if (!_stopping)
        {
            epoll.Wait((int)Math.Ceiling(delay.TotalMilliseconds), out _, out _);
        }
    }

    private void SetState(ChannelState state, string detail)
    {
        StateRecord old = _state;
        if (old.State == state && old.Detail == detail)
        {
            return;
        }
        _state = new StateRecord(state, detail, _time.GetUtcNow());
        LogStateChange(state, detail);
        if (state != ChannelState.Starting)
        {
            _settled.TrySetResult();
        }
        _registry.OnStateChanged();
    }

    private void LogStateChange(ChannelState state, string detail)
    {
        switch (state)
        {
            case ChannelState.Error:
                _logger.LogWarning("{Channel}: {Detail}", _channel.Name, detail);
                break;
            case ChannelState.Registered:
                _logger.LogInformation("{Channel}: registered on {Detail}", _channel.Name, detail);
                break;
            default:
                _logger.LogInformation("{Channel}: {Detail}", _channel.Name, detail);
                break;
        }
    }

    private sealed record StateRecord(ChannelState State, string Detail, DateTimeOffset Since);
}
