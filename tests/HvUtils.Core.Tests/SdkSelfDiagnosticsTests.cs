using System.Reflection;
using HvUtils.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;

namespace HvUtils.Core.Tests;

public sealed class SdkSelfDiagnosticsTests
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    [Fact]
    public void Building_a_provider_stops_the_sdk_config_poll()
    {
        using MeterProvider provider = MeterProviders.Build(MeterProviders.Create(), NullLogger.Instance);

        // The pinned SDK's refresher (a 10 s Task.Delay loop) is disposed: its worker task ended, no more wake-ups.
        Type diagnostics = Type.GetType(SdkSelfDiagnostics.TypeName, throwOnError: true)!;
        object instance = diagnostics.GetField("Instance", Private)!.GetValue(null)!;
        object refresher = diagnostics.GetField("configRefresher", Private)!.GetValue(instance)!;
        var worker = (Task)refresher.GetType().GetField("worker", Private)!.GetValue(refresher)!;
        Assert.True(worker.IsCompleted);
        Assert.True((bool)refresher.GetType().GetField("disposedValue", Private)!.GetValue(refresher)!);
        Assert.Null(SdkSelfDiagnostics.Stop()); // idempotent
    }
}
