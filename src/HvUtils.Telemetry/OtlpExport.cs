using HvUtils.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace HvUtils.Telemetry;

/// <summary>
/// The OTLP metrics exporter: on when <c>Telemetry:Otlp:Enabled</c> or the standard
/// <c>OTEL_METRICS_EXPORTER=otlp</c>; endpoint, protocol and headers from the section or the
/// standard <c>OTEL_EXPORTER_OTLP_*</c> variables. Exports are held in memory only: the
/// SDK's disk retry is switched off, because the disk may be frozen (design.md rule 4).
/// </summary>
internal sealed class OtlpExport(IOptions<TelemetryOptions> options, ILogger<OtlpExport> logger) : IHostedService, IDisposable
{
    /// <summary>The SDK's experimental retry switch; "disk" would persist failed batches under the temp directory.</summary>
    internal const string RetryVariable = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    private MeterProvider? _provider;

    public static bool IsEnabled(OtlpOptions o) =>
        o.Enabled || (Environment.GetEnvironmentVariable("OTEL_METRICS_EXPORTER") ?? "")
            .Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        OtlpOptions o = options.Value.Otlp;
        if (!IsEnabled(o))
        {
            return Task.CompletedTask;
        }
        if (string.Equals(Environment.GetEnvironmentVariable(RetryVariable), "disk", StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("{Variable}=disk ignored: hvutilsd never writes telemetry to disk (a filesystem may be frozen)", RetryVariable);
            Environment.SetEnvironmentVariable(RetryVariable, "in_memory");
        }
        try
        {
            _provider = MeterProviders.Build(MeterProviders.Create()
                .AddOtlpExporter((exporter, reader) => Configure(o, exporter, reader)), logger);
            logger.LogInformation("OTLP metrics exporter on, every {Interval} s", o.Interval.TotalSeconds);
        }
        catch (Exception ex)
        {
            logger.LogError("OTLP metrics exporter could not start: {Error}", ex.Message);
        }
        return Task.CompletedTask;
    }

    internal static void Configure(OtlpOptions o, OtlpExporterOptions exporter, MetricReaderOptions reader)
    {
        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)o.Interval.TotalMilliseconds;
        if (o.Protocol is { Length: > 0 } protocol)
        {
            exporter.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        }
        if (o.Endpoint is { Length: > 0 } endpoint)
        {
            var uri = new Uri(endpoint);
            // A programmatic endpoint is used as is; add the signal path the standard variable would get.
            if (exporter.Protocol == OtlpExportProtocol.HttpProtobuf && uri.AbsolutePath is "/" or "")
            {
                uri = new Uri(uri, "/v1/metrics");
            }
            exporter.Endpoint = uri;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Flushes the last interval's points before the process exits.
        _provider?.Dispose();
        _provider = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();
}
