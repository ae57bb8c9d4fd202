using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Logging;

/// <summary>
/// Logs repeated identical errors at most once per <see cref="Interval"/> per key (design.md
/// rule 2: a bad message gets a rate-limited log line). The first occurrence is logged at
/// once; repeats inside the interval are only counted; the next occurrence after it is
/// preceded by one line "… N identical messages suppressed in the last S s". No timer: a
/// count still pending is written by the next occurrence or by <see cref="Flush"/>.
/// Thread-safe; the key is the caller's notion of "identical" (e.g. "kvp:bad-pool").
/// </summary>
public sealed class RateLimitedLog
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _maxKeys;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RateLimitedLog(ILogger logger, TimeSpan interval, TimeProvider? time = null, int maxKeys = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _logger = logger;
        Interval = interval;
        _time = time ?? TimeProvider.System;
        _maxKeys = maxKeys;
    }

    public TimeSpan Interval { get; }

    /// <summary>Logs (returns true) or counts (returns false) one occurrence of <paramref name="key"/>.</summary>
    public bool Log(LogLevel level, string key, Exception? exception, string message, params object?[] args)
    {
        long suppressed;
        TimeSpan since;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_entries.TryGetValue(key, out Entry? entry))
            {
                if (now - entry.LoggedAt < Interval)
                {
                    entry.Suppressed++;
                    return false;
                }
                suppressed = entry.Suppressed;
                since = now - entry.LoggedAt;
                entry.LoggedAt = now;
                entry.Suppressed = 0;
            }
            else
            {
                suppressed = 0;
                since = TimeSpan.Zero;
                Track(key, now);
            }
        }
        if (suppressed > 0)
        {
            WriteSuppressed(level, key, suppressed, since);
        }
#pragma warning disable CA2254 // the template is the caller's constant, passed through
        _logger.Log(level, exception, message, args);
#pragma warning restore CA2254
        return true;
    }

    public bool LogError(string key, string message, params object?[] args) => Log(LogLevel.Error, key, null, message, args);

    public bool LogWarning(string key, string message, params object?[] args) => Log(LogLevel.Warning, key, null, message, args);

    /// <summary>Writes the pending suppressed counts (e.g. at shutdown or after a thaw) and forgets every key.</summary>
    public void Flush(LogLevel level = LogLevel.Warning)
    {
        List<(string Key, long Count, TimeSpan Since)> pending = [];
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach ((string key, Entry e) in _entries)
            {
                if (e.Suppressed > 0)
                {
                    pending.Add((key, e.Suppressed, now - e.LoggedAt));
                }
            }
            _entries.Clear();
        }
        foreach ((string key, long count, TimeSpan since) in pending)
        {
            WriteSuppressed(level, key, count, since);
        }
    }

    /// <summary>Repeats of <paramref name="key"/> counted since it was last logged.</summary>
    public long SuppressedCount(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out Entry? e) ? e.Suppressed : 0;
        }
    }

    private void Track(string key, DateTimeOffset now)
    {
        if (_entries.Count >= _maxKeys)
        {
            // Forget keys whose interval has passed and that owe no count; a flood of distinct keys
            // beyond that is logged untracked rather than growing without bound.
            foreach ((string k, Entry e) in _entries)
            {
                if (e.Suppressed == 0 && now - e.LoggedAt >= Interval)
                {
                    _entries.Remove(k);
                }
            }
            if (_entries.Count >= _maxKeys)
            {
                return;
            }
        }
        _entries[key] = new Entry { LoggedAt = now };
    }

    private void WriteSuppressed(LogLevel level, string key, long count, TimeSpan since) =>
        _logger.Log(level, "{Key}: {Suppressed} identical messages suppressed in the last {Seconds:0} s", key, count, since.TotalSeconds);

    private sealed class Entry
    {
        public DateTimeOffset LoggedAt;
        public long Suppressed;
    }
}
