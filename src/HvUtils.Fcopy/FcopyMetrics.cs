using System.Diagnostics.Metrics;
using HvUtils.Core.Telemetry;

namespace HvUtils.Fcopy;

/// <summary>FCOPY's own instruments on the shared meter (issue 7 names; design.md rule 6).</summary>
public sealed class FcopyMetrics
{
    public FcopyMetrics(HvUtilsMetrics metrics)
    {
        Bytes = metrics.Meter.CreateCounter<long>("hvutils.fcopy.bytes", "By", "Bytes written into copied files.");
        Files = metrics.Meter.CreateCounter<long>("hvutils.fcopy.files", "{file}", "Copies finished, by outcome (success, cancelled, already_exists, disk_full, failure).");
        Active = metrics.Meter.CreateUpDownCounter<long>("hvutils.fcopy.active", "{file}", "Copies in progress (0 or 1).");
    }

    public Counter<long> Bytes { get; }

    public Counter<long> Files { get; }

    public UpDownCounter<long> Active { get; }
}
