using System.Diagnostics;

namespace HvUtils.Benchmarks;

/// <summary>Round-trip samples in Stopwatch ticks → ops/s and percentiles.</summary>
public sealed class LatencyStats(int capacity)
{
    private readonly long[] _samples = new long[capacity];
    private int _count;

    public void Add(long ticks) => _samples[_count++] = ticks;

    public int Count => _count;

    public double Percentile(double p)
    {
        long[] sorted = _samples[.._count];
        Array.Sort(sorted);
        int index = Math.Clamp((int)Math.Ceiling(p / 100 * _count) - 1, 0, _count - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }

    /// <summary>"ops/s p50 p99" for a run that took <paramref name="elapsed"/>.</summary>
    public string Summary(TimeSpan elapsed) =>
        $"{_count / elapsed.TotalSeconds,10:N0} ops/s  p50 {Percentile(50),8:N1} µs  p99 {Percentile(99),8:N1} µs";
}
