using System.Diagnostics.Metrics;
using HvUtils.Core.Telemetry;
using HvUtils.Vss.Hooks;

namespace HvUtils.Vss;

/// <summary>The VSS instruments (issue 7 names) on the shared "HvUtils" meter.</summary>
public sealed class VssMetrics
{
    private readonly Counter<long> _freezes;
    private readonly Histogram<double> _freezeDuration;
    private readonly Histogram<double> _hookDuration;

    public VssMetrics(HvUtilsMetrics metrics, Func<int> frozenCount)
    {
        Meter meter = metrics.Meter;
        meter.CreateObservableGauge("hvutils.vss.frozen", frozenCount, "{filesystem}", "Filesystems currently frozen by the daemon.");
        _freezeDuration = metrics.CreateSecondsHistogram("hvutils.vss.freeze.duration",
            "How long filesystems stayed frozen, from the first FIFREEZE to the complete thaw; attribute ended (thaw, deadline, reset, failure).");
        _freezes = meter.CreateCounter<long>("hvutils.vss.freezes", "{freeze}",
            "FREEZE requests by outcome (success, failure, hook_failure, refused).");
        _hookDuration = metrics.CreateSecondsHistogram("hvutils.vss.hook.duration",
            "Run time of one freeze hook; attributes hook, operation, outcome (success, failure, timeout, refused).");
    }

    public void RecordFreeze(string outcome) => _freezes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordFrozenFor(TimeSpan duration, string ended) =>
        _freezeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("ended", ended));

    public void RecordHook(HookRun run) => _hookDuration.Record(run.Duration.TotalSeconds,
        new KeyValuePair<string, object?>("hook", run.Hook.Name),
        new KeyValuePair<string, object?>("operation", run.Operation),
        new KeyValuePair<string, object?>("outcome", run.Outcome));
}
