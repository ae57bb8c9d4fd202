using HvUtils.Core.Hosting;
using HvUtils.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace HvUtils.Telemetry;

/// <summary>
/// One SDK meter provider per exporter, so a listener that cannot start leaves the other
/// exporter (and the daemon) running. Each listens to the "HvUtils" meter only.
/// </summary>
internal static class MeterProviders
{
    public static MeterProviderBuilder Create() => Sdk.CreateMeterProviderBuilder()
        .ConfigureResource(r => r.AddService("hvutilsd", serviceVersion: DaemonHost.Version))
        .AddMeter(HvUtilsMetrics.MeterName);
}
