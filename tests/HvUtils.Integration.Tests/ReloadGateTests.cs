using HvUtils.Core.Configuration;
using HvUtils.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Integration.Tests;

/// <summary>The reloader in-process with a real admin file, real inotify watch and a gate standing in for VSS's freeze state.</summary>
public sealed class ReloadGateTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeGate _gate = new();
    private readonly ServiceProvider _services;
    private readonly string _file;

    public ReloadGateTests()
    {
        _file = _dir.Combine("appsettings.json");
        Write(9464);
        IConfigurationRoot configuration = LiveConfiguration.Build(_file, [], contentRoot: _dir.Path);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddCoreOptions(configuration);
        services.AddSingleton(LiveConfiguration.ProviderOf(configuration)!);
        services.AddSingleton<IReloadGate>(_gate);
        services.AddSingleton<ConfigurationReloader>();
        _services = services.BuildServiceProvider();
    }

    private ConfigurationReloader Reloader => _services.GetRequiredService<ConfigurationReloader>();

    private int LivePort => _services.GetRequiredService<IOptionsMonitor<TelemetryOptions>>().CurrentValue.Prometheus.Port;

    [Fact]
    public void No_reload_is_applied_while_a_gate_is_closed()
    {
        Assert.Equal(9464, LivePort);
        _gate.Open = false;
        Write(9500);

        Assert.Equal(ReloadResult.Deferred, Reloader.Apply());
        Assert.Equal(9464, LivePort);

        _gate.Open = true;
        Assert.Equal(ReloadResult.Applied, Reloader.Apply());
        Assert.Equal(9500, LivePort);
        Assert.Equal(ReloadResult.Unchanged, Reloader.Apply());
    }

    [Fact]
    public void An_invalid_value_leaves_the_options_as_they_were()
    {
        Write(0);
        Assert.Equal(ReloadResult.Rejected, Reloader.Apply());
        Assert.Equal(9464, LivePort);
        Assert.Equal("9464", _services.GetRequiredService<IConfiguration>()["Telemetry:Prometheus:Port"]);
    }

    [Fact]
    public async Task The_watcher_applies_an_edit_of_the_admin_file()
    {
        var applied = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Reloader.Reloaded += r => applied.TrySetResult(r);
        await Reloader.StartAsync(CancellationToken.None);
        try
        {
            Write(9600);
            Assert.Equal(ReloadResult.Applied, await applied.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(9600, LivePort);
        }
        finally
        {
            await Reloader.StopAsync(CancellationToken.None);
        }
    }

    private void Write(int port) => File.WriteAllText(_file, $$"""{ "Telemetry": { "Prometheus": { "Port": {{port}} } } }""");

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }

    private sealed class FakeGate : IReloadGate
    {
        public bool Open { get; set; } = true;

        public bool CanApply(out string reason)
        {
            reason = Open ? "" : "a filesystem is frozen";
            return Open;
        }
    }
}
