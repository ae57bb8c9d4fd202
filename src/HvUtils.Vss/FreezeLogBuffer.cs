using Microsoft.Extensions.Logging;

namespace HvUtils.Vss;

/// <summary>
/// The VSS path's logger. While <see cref="Holding"/> (anything frozen) every entry is kept
/// in memory instead of being written — a log write can land on a frozen disk (a file, or a
/// journal whose storage is frozen) and block the thread that must thaw it (design.md rule 4,
/// spec/vss.md §5.3). <see cref="Release"/> writes them out, in order, after the thaw.
/// </summary>
public sealed class FreezeLogBuffer(ILogger inner, int capacity = 4096) : ILogger
{
    private readonly List<Action<ILogger>> _held = [];
    private readonly Lock _lock = new();
    private int _dropped;

    public bool Holding { get; private set; }

    /// <summary>Entries waiting to be written.</summary>
    public int HeldCount
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Starts holding (call before the first FIFREEZE).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            Holding = true;
        }
    }

    /// <summary>Stops holding and writes the held entries (call after the complete thaw).</summary>
    public void Release()
    {
        Action<ILogger>[] held;
        int dropped;
        lock (_lock)
        {
            Holding = false;
            held = [.. _held];
            _held.Clear();
            dropped = _dropped;
            _dropped = 0;
        }
        foreach (Action<ILogger> write in held)
        {
            write(inner);
        }
        if (dropped > 0)
        {
            inner.LogWarning("{Dropped} log entries written while frozen were dropped (buffer of {Capacity})", dropped, capacity);
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }
        lock (_lock)
        {
            if (Holding)
            {
                if (_held.Count < capacity)
                {
                    DateTimeOffset at = DateTimeOffset.UtcNow;
                    _held.Add(l => l.Log(logLevel, eventId, state, exception, (s, e) => $"{formatter(s, e)} (held while frozen, at {at:HH:mm:ss.fff})"));
                }
                else
                {
                    _dropped++;
                }
                return;
            }
        }
        inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
