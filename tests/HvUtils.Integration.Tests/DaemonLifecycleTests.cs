using System.Diagnostics;
using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Devices;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>The real hvutilsd process against the simulator, with a real NOTIFY_SOCKET.</summary>
public sealed class DaemonLifecycleTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostSimulator _sim = null!;

    public Task InitializeAsync()
    {
        _sim = HostSimulator.Create(_dir.Combine("dev"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        _dir.Dispose();
    }

    private IEnumerable<string> Arguments(params string[] extra) =>
    [
        .. _sim.DaemonArguments(),
        $"--Runtime:Directory={_dir.Combine("run")}",
        $"--Kvp:PoolDirectory={_dir.Combine("pools")}",
        "--Telemetry:Prometheus:Enabled=false",
        .. extra,
    ];

    [Fact]
    public async Task Registers_all_three_channels_notifies_systemd_and_exits_0_on_SIGTERM()
    {
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path, Arguments(),
            new Dictionary<string, string> { ["WATCHDOG_USEC"] = "400000" });
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await _sim.WaitForAllRegisteredAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, _sim.Kvp.Registrations);
        Assert.Equal(1, _sim.Vss.Registrations);
        Assert.Equal(1, _sim.Fcopy.Registrations);

        await daemon.Notify.WaitForAsync(l => l.StartsWith("STATUS=", StringComparison.Ordinal)
            && l.Contains("kvp: registered") && l.Contains("vss: registered") && l.Contains("fcopy: registered"), TimeSpan.FromSeconds(10));
        await daemon.Notify.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
        Assert.Contains(daemon.Notify.Lines, l => l.Line == $"MAINPID={daemon.Pid}");

        var sw = Stopwatch.StartNew();
        int code = await daemon.StopAsync();
        Assert.Equal(0, code);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"exit took {sw.ElapsedMilliseconds} ms");
        Assert.Contains(daemon.Notify.Lines, l => l.Line == "STOPPING=1");
        await _sim.Kvp.WaitForStateAsync(DeviceState.Closed, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Is_ready_while_devices_are_missing_and_registers_when_they_appear()
    {
        await using HostSimulator late = HostSimulator.Create(_dir.Combine("late"), start: false);
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path,
        [
            .. late.DaemonArguments(),
            $"--Runtime:Directory={_dir.Combine("run")}",
            "--Telemetry:Prometheus:Enabled=false",
        ]);
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        string status = await daemon.Notify.WaitForAsync(l => l.StartsWith("STATUS=", StringComparison.Ordinal), TimeSpan.FromSeconds(1));
        Assert.Contains("kvp: waiting", status);
        late.Vss.Start();
        await late.Vss.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        await daemon.Notify.WaitForAsync(l => l.Contains("vss: registered") && l.Contains("kvp: waiting"), TimeSpan.FromSeconds(5));
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Withholds_the_watchdog_only_when_no_watchdog_is_configured()
    {
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path, Arguments());
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        Assert.DoesNotContain(daemon.Notify.Lines, l => l.Line == "WATCHDOG=1");
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task A_disabled_channel_is_not_started()
    {
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path, Arguments("--Fcopy:Enabled=false"));
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await _sim.Kvp.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        await _sim.Vss.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(5));
        Assert.Equal(0, _sim.Fcopy.Connections);
        string status = await daemon.Notify.WaitForAsync(l => l.StartsWith("STATUS=", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("fcopy", status);
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Theory]
    [InlineData("--Kvp:LockTimeout=abc", "Kvp:LockTimeout = \"abc\"")]
    [InlineData("--Vss:FreezeDeadline=01:00:00", "Vss:FreezeDeadline = \"01:00:00\"")]
    [InlineData("--Fcopy:DevicePath=relative/path", "Fcopy:DevicePath = \"relative/path\"")]
    [InlineData("--Kvp:Enabled=perhaps", "Kvp:Enabled = \"perhaps\"")]
    public async Task Invalid_configuration_exits_78_with_one_line_naming_the_key(string argument, string expected)
    {
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path, Arguments(argument));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await daemon.WaitForExitAsync(cts.Token);
        Assert.Equal(78, daemon.ExitCode);
        string line = Assert.Single(daemon.Output, l => l.Contains("invalid configuration"));
        Assert.Contains(expected, line);
        Assert.Equal(0, _sim.Kvp.Connections);
    }

    [Fact]
    public async Task Invalid_value_from_the_environment_is_named_by_its_configuration_key()
    {
        await using DaemonProcess daemon = DaemonProcess.Start(_dir.Path, Arguments(),
            new Dictionary<string, string> { ["HVUTILS_Kvp__MaxRecordsPerPool"] = "0" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await daemon.WaitForExitAsync(cts.Token);
        Assert.Equal(78, daemon.ExitCode);
        Assert.Contains(daemon.Output, l => l.Contains("Kvp:MaxRecordsPerPool = \"0\""));
    }
}
