using HvUtils.Cli.Status;

namespace HvUtils.Integration.Tests;

/// <summary>Edits of the admin file while the real daemon runs: a live key applies, an invalid file is rejected.</summary>
public sealed class ReloadTests
{
    private const string InfoLevel = """{ "Logging": { "LogLevel": { "Default": "Information" } } }""";
    private const string DebugLevel = """{ "Logging": { "LogLevel": { "Default": "Debug" } } }""";

    [Fact]
    public async Task A_live_key_applies_without_a_restart()
    {
        await using ReloadDaemon r = await ReloadDaemon.StartAsync(InfoLevel);
        r.QueryStatus();
        Assert.DoesNotContain(r.D.Daemon.Output, IsStatusDebugLine);

        File.WriteAllText(r.ConfigFile, DebugLevel);
        await r.D.WaitForOutputAsync(l => l.Contains("configuration reloaded", StringComparison.Ordinal) && l.Contains("Logging:LogLevel:Default", StringComparison.Ordinal));
        r.QueryStatus();

        // The debug line of the status server appears only once the new level is live.
        await r.D.WaitForOutputAsync(IsStatusDebugLine);
        Assert.Equal(r.Pid, r.D.Daemon.Pid);
        Assert.False(r.D.Daemon.HasExited);
    }

    [Theory]
    [InlineData("""{ "Logging": { "LogLevel": { "Default": "Debug" } }, "Kvp": { "LockTimeout": "soon" } }""", "Kvp:LockTimeout")]
    [InlineData("""{ "Logging": { "LogLevel": { "Default": "Debug" } """, "Could not parse")]
    [InlineData("""{ "Logging": { "LogLevel": { "Default": "Loud" } } }""", "Logging")]
    public async Task An_invalid_file_is_rejected_with_one_line_and_the_last_good_configuration_stays(string invalid, string named)
    {
        await using ReloadDaemon r = await ReloadDaemon.StartAsync(InfoLevel);

        File.WriteAllText(r.ConfigFile, invalid);
        string line = await r.D.WaitForOutputAsync(l => l.Contains("configuration reload rejected", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        r.QueryStatus();
        await Task.Delay(500);

        Assert.Single(r.D.Daemon.Output, l => l.Contains("configuration reload rejected", StringComparison.Ordinal));
        Assert.DoesNotContain(r.D.Daemon.Output, l => l.Contains("configuration reloaded", StringComparison.Ordinal));
        Assert.DoesNotContain(r.D.Daemon.Output, IsStatusDebugLine); // still at Information
        Assert.False(r.D.Daemon.HasExited);

        // A later valid edit is applied as usual.
        File.WriteAllText(r.ConfigFile, DebugLevel);
        await r.D.WaitForOutputAsync(l => l.Contains("configuration reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_only_key_is_reported_as_needing_a_restart()
    {
        await using ReloadDaemon r = await ReloadDaemon.StartAsync(InfoLevel);

        File.WriteAllText(r.ConfigFile, """{ "Logging": { "LogLevel": { "Default": "Information" } }, "Telemetry": { "Otlp": { "Interval": "00:00:30" } } }""");

        string line = await r.D.WaitForOutputAsync(l => l.Contains("take effect after a restart", StringComparison.Ordinal));
        Assert.Contains("Telemetry:Otlp:Interval", line, StringComparison.Ordinal);
        // The exporters keep running as they started.
        PrometheusScrape scrape = await r.D.ScrapeAsync();
        Assert.True(scrape.Has("hvutils_channel_state"));
    }

    private static bool IsStatusDebugLine(string line) => line.Contains("status request", StringComparison.Ordinal);

    private sealed class ReloadDaemon(MetricsDaemon d, string configFile) : IAsyncDisposable
    {
        public MetricsDaemon D { get; } = d;

        public string ConfigFile { get; } = configFile;

        public int Pid { get; } = d.Daemon.Pid;

        public static async Task<ReloadDaemon> StartAsync(string initial)
        {
            var configDir = new Testing.TempDirectory("hvutils-etc-");
            string file = configDir.Combine("appsettings.json");
            File.WriteAllText(file, initial);
            MetricsDaemon d = await MetricsDaemon.StartAsync([$"--config={file}"]);
            await d.WaitForOutputAsync(l => l.Contains("ready:", StringComparison.Ordinal));
            return new ReloadDaemon(d, file) { _configDir = configDir };
        }

        private Testing.TempDirectory? _configDir;

        public void QueryStatus() => Assert.Equal(0, StatusCommand.Run(D.ControlSocket, json: true, new StringWriter(), new StringWriter()));

        public async ValueTask DisposeAsync()
        {
            await D.DisposeAsync();
            _configDir?.Dispose();
        }
    }
}
