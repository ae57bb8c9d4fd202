using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>The <c>Telemetry</c> section: the Prometheus scrape endpoint and the OTLP exporter.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    [ValidateObjectMembers]
    public PrometheusOptions Prometheus { get; set; } = new();

    public OtlpOptions Otlp { get; set; } = new();
}

public sealed class PrometheusOptions
{
    public bool Enabled { get; set; } = true;

    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 9464;
}

public sealed class OtlpOptions
{
    public bool Enabled { get; set; }

    public string? Endpoint { get; set; }
}

[OptionsValidator]
public sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
