using HvUtils.Core.Logging;
using Microsoft.Extensions.Logging;

namespace HvUtils.Core.Tests;

public sealed class RateLimitedLogTests
{
    private readonly ManualClock _clock = new();
    private readonly RecordingLogger _logger = new();

    [Fact]
    public void First_occurrence_is_logged_repeats_in_the_interval_are_counted()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(60), _clock);

        Assert.True(log.LogError("kvp:bad-pool", "pool {Pool} out of range", 9));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(log.LogError("kvp:bad-pool", "pool {Pool} out of range", 9));
        Assert.False(log.LogError("kvp:bad-pool", "pool {Pool} out of range", 9));

        Assert.Equal(["Error: pool 9 out of range"], _logger.Lines);
        Assert.Equal(2, log.SuppressedCount("kvp:bad-pool"));
    }

    [Fact]
    public void After_the_interval_the_suppressed_count_is_written_before_the_next_message()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(60), _clock);
        log.LogError("k", "boom");
        for (int i = 0; i < 41; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            log.LogError("k", "boom");
        }
        _clock.Advance(TimeSpan.FromSeconds(19));

        Assert.True(log.LogError("k", "boom"));

        Assert.Equal(["Error: boom", "Error: k: 41 identical messages suppressed in the last 60 s", "Error: boom"], _logger.Lines);
        Assert.Equal(0, log.SuppressedCount("k"));
    }

    [Fact]
    public void Different_keys_are_limited_independently()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(10), _clock);
        Assert.True(log.LogWarning("a", "A"));
        Assert.True(log.LogWarning("b", "B"));
        Assert.False(log.LogWarning("a", "A"));
        Assert.Equal(["Warning: A", "Warning: B"], _logger.Lines);
    }

    [Fact]
    public void Flush_writes_pending_counts_and_forgets_the_keys()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(10), _clock);
        log.LogError("a", "A");
        log.LogError("a", "A");
        log.LogError("b", "B");
        _clock.Advance(TimeSpan.FromSeconds(3));

        log.Flush();

        Assert.Equal(["Error: A", "Error: B", "Warning: a: 1 identical messages suppressed in the last 3 s"], _logger.Lines);
        Assert.True(log.LogError("a", "A"));
    }

    [Fact]
    public void A_flood_of_distinct_keys_stays_bounded_and_is_still_logged()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(10), _clock, maxKeys: 2);
        log.LogError("a", "A");
        log.LogError("b", "B");
        Assert.True(log.LogError("c", "C"));
        Assert.True(log.LogError("c", "C")); // untracked: logged, never silently lost
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(log.LogError("d", "D")); // expired keys were forgotten to make room
        Assert.False(log.LogError("d", "D"));
    }

    [Fact]
    public void Exceptions_reach_the_logger()
    {
        var log = new RateLimitedLog(_logger, TimeSpan.FromSeconds(10), _clock);
        var ex = new IOException("disk");
        log.Log(LogLevel.Error, "io", ex, "write failed");
        Assert.Same(ex, _logger.Exceptions.Single());
    }

    internal sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    internal sealed class RecordingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public List<Exception> Exceptions { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
            if (exception is not null)
            {
                Exceptions.Add(exception);
            }
        }
    }
}
