using System.Diagnostics;
using System.Diagnostics.Metrics;
using HvUtils.Core.Telemetry;
using HvUtils.Kvp.Pools;

namespace HvUtils.Kvp;

/// <summary>
/// The KVP instruments (design.md rule 6): <c>hvutils.kvp.pool.records</c> (distinct keys
/// per pool, observed from the in-memory index — no I/O at scrape time) and
/// <c>hvutils.kvp.lock.wait.duration</c> (time to take both pool locks).
/// </summary>
public sealed class KvpMetrics
{
    private static readonly KeyValuePair<string, object?>[] PoolTags =
        [.. Enumerable.Range(0, Wire.KvpPools.Count).Select(p => new KeyValuePair<string, object?>("pool", p.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private readonly Histogram<double>? _lockWait;
    private KvpPoolSet? _pools;

    public KvpMetrics(HvUtilsMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }
        _lockWait = metrics.CreateSecondsHistogram("hvutils.kvp.lock.wait.duration", "Time a KVP pool operation waited for the fcntl and flock locks.");
        metrics.Meter.CreateObservableGauge("hvutils.kvp.pool.records", ObserveRecords, "{record}", "Distinct keys in each KVP pool file.");
    }

    /// <summary>The pools the gauge reports.</summary>
    public void Observe(KvpPoolSet pools) => _pools = pools;

    /// <summary>Hook for <see cref="PoolFileSettings.LockWaited"/>: allocation-free.</summary>
    public void RecordLockWait(int pool, long ticks) =>
        _lockWait?.Record((double)ticks / Stopwatch.Frequency, PoolTags[pool]);

    private IEnumerable<Measurement<int>> ObserveRecords()
    {
        if (_pools is null)
        {
            yield break;
        }
        foreach (KvpPoolFile pool in _pools.All)
        {
            if (pool.Pool != Wire.KvpPools.Auto)
            {
                yield return new Measurement<int>(pool.RecordCount, PoolTags[pool.Pool]);
            }
        }
        yield return new Measurement<int>(Auto.AutoPool.KeyCount, PoolTags[Wire.KvpPools.Auto]);
    }
}
