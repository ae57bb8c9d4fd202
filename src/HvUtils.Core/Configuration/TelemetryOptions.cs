using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>The <c>Telemetry</c> section: the Prometheus scrape endpoint and the OTLP exporter (docs/monitoring.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();

    public OtlpOptions Otlp { get; set; } = new();
}

public sealed class PrometheusOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The listener address: loopback by default (the upstream listener is not hardened for exposure).</summary>
    [Required(AllowEmptyStrings = false)]
    [HostName]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 9464;

    /// <summary>How long one scrape's text is reused (the exporter's default is 300 ms; tests asserting exact deltas use 0).</summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan ScrapeCacheDuration { get; set; } = TimeSpan.FromMilliseconds(300);
}

public sealed class OtlpOptions
{
    /// <summary>Also switched on by the standard <c>OTEL_METRICS_EXPORTER=otlp</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Empty: the standard <c>OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT</c> variables, else the SDK default.</summary>
    [AbsoluteHttpUri]
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; empty: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else grpc.</summary>
    [RegularExpression("^(|grpc|http/protobuf)$", ErrorMessage = "must be grpc or http/protobuf")]
    public string? Protocol { get; set; }

    /// <summary>The export period (the standard default is 60 s).</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Validates both subsections and names each failure by its full path ("Prometheus.Host: …"),
/// so the error names the key Telemetry:Prometheus:Host ([ValidateObjectMembers] reports
/// only "Host").
/// </summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        AddPrefixed(builder, nameof(TelemetryOptions.Prometheus), new PrometheusOptionsValidator().Validate(name, options.Prometheus));
        AddPrefixed(builder, nameof(TelemetryOptions.Otlp), new OtlpOptionsValidator().Validate(name, options.Otlp));
        return builder.Build();
    }

    private static void AddPrefixed(ValidateOptionsResultBuilder builder, string prefix, ValidateOptionsResult result)
    {
        foreach (string failure in result.Failures ?? [])
        {
            builder.AddError($"{prefix}.{failure}");
        }
    }
}

[OptionsValidator]
public sealed partial class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>;

[OptionsValidator]
public sealed partial class OtlpOptionsValidator : IValidateOptions<OtlpOptions>;
