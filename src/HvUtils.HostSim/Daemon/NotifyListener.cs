using System.Net.Sockets;
using System.Text;

namespace HvUtils.HostSim.Daemon;

/// <summary>
/// A NOTIFY_SOCKET for a daemon we start: a Unix datagram socket that records every
/// sd_notify message ("READY=1", "STATUS=…", "WATCHDOG=1", "STOPPING=1").
/// </summary>
public sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly List<(DateTimeOffset At, string Line)> _lines = [];
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NotifyListener(string path)
    {
        Path = path;
        File.Delete(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public string Path { get; }

    /// <summary>Every assignment received, one per line ("READY=1"), in order, with its arrival time.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Line)> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/>; returns it.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach ((_, string line) in _lines)
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching notification within {timeout.TotalSeconds:0.#} s; got: {string.Join(" | ", Lines.Select(l => l.Line))}");
            }
        }
    }

    public Task<string> WaitForAsync(string exact, TimeSpan timeout) => WaitForAsync(l => l == exact, timeout);

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            DateTimeOffset now = DateTimeOffset.UtcNow;
            lock (_lock)
            {
                foreach (string line in Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    _lines.Add((now, line));
                }
                TaskCompletionSource old = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                old.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _ = _loop;
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
