using HvUtils.Core.Configuration;
using HvUtils.Core.Logging;
using HvUtils.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace HvUtils.Core.Tests;

public sealed class TelemetryOptionsTests
{
    private static ValidateOptionsResult Validate(Action<TelemetryOptions> change)
    {
        var options = new TelemetryOptions();
        change(options);
        return new TelemetryOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void Defaults_are_valid_and_bind_loopback_9464()
    {
        Assert.True(Validate(_ => { }).Succeeded);
        var o = new TelemetryOptions();
        Assert.Equal(("127.0.0.1", 9464, true), (o.Prometheus.Host, o.Prometheus.Port, o.Prometheus.Enabled));
        Assert.False(o.Otlp.Enabled);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData("metrics.example")]
    public void Listener_hosts_that_are_accepted(string host) => Assert.True(Validate(o => o.Prometheus.Host = host).Succeeded);

    [Theory]
    [InlineData("127.0.0.1:9464", "Prometheus.Host")]
    [InlineData("http://x", "Prometheus.Host")]
    [InlineData("", "Prometheus.Host")]
    public void Listener_hosts_that_are_refused_before_any_listener_starts(string host, string member)
    {
        ValidateOptionsResult r = Validate(o => o.Prometheus.Host = host);
        Assert.True(r.Failed);
        Assert.Contains(member, r.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Ports_outside_the_tcp_range_are_refused(int port) => Assert.True(Validate(o => o.Prometheus.Port = port).Failed);

    [Fact]
    public void Scrape_cache_duration_is_bounded()
    {
        Assert.True(Validate(o => o.Prometheus.ScrapeCacheDuration = TimeSpan.Zero).Succeeded);
        Assert.True(Validate(o => o.Prometheus.ScrapeCacheDuration = TimeSpan.FromMinutes(2)).Failed);
    }

    [Theory]
    [InlineData("ftp://collector:4317")]
    [InlineData("collector:4317")]
    public void Otlp_endpoints_must_be_absolute_http_uris(string endpoint)
    {
        ValidateOptionsResult r = Validate(o => o.Otlp.Endpoint = endpoint);
        Assert.True(r.Failed);
        Assert.Contains("Otlp.Endpoint", r.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Otlp_protocol_and_interval_are_checked()
    {
        Assert.True(Validate(o => o.Otlp.Protocol = "http/json").Failed);
        Assert.True(Validate(o => o.Otlp.Interval = TimeSpan.FromMilliseconds(10)).Failed);
        Assert.True(Validate(o => (o.Otlp.Protocol, o.Otlp.Endpoint) = ("grpc", "http://collector:4317")).Succeeded);
    }

    [Fact]
    public void Http_protobuf_endpoint_without_a_path_gets_the_metrics_signal_path()
    {
        var exporter = new OtlpExporterOptions();
        var reader = new MetricReaderOptions();
        OtlpExport.Configure(new OtlpOptions { Endpoint = "http://collector:4318", Protocol = "http/protobuf", Interval = TimeSpan.FromSeconds(5) }, exporter, reader);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), exporter.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, exporter.Protocol);
        Assert.Equal(5000, reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds);
    }

    [Fact]
    public void Grpc_endpoint_and_explicit_paths_are_used_as_given()
    {
        var exporter = new OtlpExporterOptions();
        OtlpExport.Configure(new OtlpOptions { Endpoint = "http://collector:4317", Protocol = "grpc" }, exporter, new MetricReaderOptions());
        Assert.Equal(new Uri("http://collector:4317"), exporter.Endpoint);
        var custom = new OtlpExporterOptions();
        OtlpExport.Configure(new OtlpOptions { Endpoint = "https://gw/otlp/v1/metrics", Protocol = "http/protobuf" }, custom, new MetricReaderOptions());
        Assert.Equal(new Uri("https://gw/otlp/v1/metrics"), custom.Endpoint);
    }

    [Fact]
    public void Restart_only_keys_are_the_ones_bound_once_at_start()
    {
        Assert.True(ConfigurationReloader.RequiresRestart("Kvp:DevicePath"));
        Assert.True(ConfigurationReloader.RequiresRestart("vss:enabled"));
        Assert.True(ConfigurationReloader.RequiresRestart("Telemetry:Prometheus:Port"));
        Assert.True(ConfigurationReloader.RequiresRestart("Runtime:Directory"));
        Assert.False(ConfigurationReloader.RequiresRestart("Vss:HookTimeout"));
        Assert.False(ConfigurationReloader.RequiresRestart("Vss:Include:0"));
        Assert.True(ConfigurationReloader.RequiresRestart("Kvp:MaxRecordsPerPool"));
        Assert.True(ConfigurationReloader.RequiresRestart("Fcopy:AllowedRoots:0"));
        Assert.False(ConfigurationReloader.RequiresRestart("Vss:FreezeDeadline"));
        Assert.False(ConfigurationReloader.RequiresRestart("Logging:LogLevel:Default"));
        Assert.False(ConfigurationReloader.RequiresRestart("TelemetryX"));
    }

    [Fact]
    public void Log_scopes_print_as_key_value_pairs()
    {
        Assert.Equal("channel=kvp operation=set", LogScopes.Operation("kvp", "set").ToString());
        Assert.Equal([new KeyValuePair<string, object?>("pool", 3)], LogScopes.Pool(3));
    }
}
