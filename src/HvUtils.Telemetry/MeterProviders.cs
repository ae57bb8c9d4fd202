using HvUtils.Core.Hosting;
using HvUtils.Core.Telemetry;
using Microsoft.Extensions.Logging;
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

    /// <summary>Builds the provider, then stops the SDK's self-diagnostics poll (<see cref="SdkSelfDiagnostics"/>).</summary>
    public static MeterProvider Build(MeterProviderBuilder builder, ILogger logger)
    {
        MeterProvider provider = builder.Build();
        if (SdkSelfDiagnostics.Stop() is { } error)
        {
            logger.LogWarning("OpenTelemetry self-diagnostics poll left running: {Error}", error);
        }
        return provider;
    }
}
