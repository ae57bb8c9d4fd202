using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Vss;
using HvUtils.Testing;
using HvUtils.Vss.Freezing;

namespace HvUtils.Integration.Tests;

/// <summary>
/// One VSS integration scenario: a temp directory, an ext4 loop filesystem, the simulator and
/// the real hvutilsd with its planner restricted to that filesystem (Vss:Include), hooks and
/// runtime directory under the temp directory. Dispose stops the daemon, thaws, unmounts, detaches.
/// </summary>
public sealed class VssTestBed : IAsyncDisposable
{
    private readonly List<string> _extraArguments;

    private VssTestBed(TempDirectory dir, LoopFilesystem fs, HostSimulator sim, IEnumerable<string> extra)
    {
        Dir = dir;
        Filesystem = fs;
        Simulator = sim;
        Host = new VssHost(sim.Vss) { FreezeTimeout = TimeSpan.FromSeconds(30), OtherTimeout = TimeSpan.FromSeconds(10) };
        _extraArguments = [.. extra];
    }

    public TempDirectory Dir { get; }

    public LoopFilesystem Filesystem { get; }

    public HostSimulator Simulator { get; }

    public VssHost Host { get; }

    public DaemonProcess? Daemon { get; private set; }

    public string HooksDirectory => Dir.Combine("hooks");

    public FreezeMarker Marker => new(Dir.Combine("run"));

    public static async Task<VssTestBed> StartAsync(params string[] extraArguments)
    {
        var dir = new TempDirectory();
        LoopFilesystem fs = LoopFilesystem.Create();
        var bed = new VssTestBed(dir, fs, HostSimulator.Create(dir.Combine("dev")), extraArguments);
        await bed.StartDaemonAsync();
        return bed;
    }

    /// <summary>Starts (or restarts) hvutilsd with the same settings and waits for the VSS registration.</summary>
    public async Task StartDaemonAsync()
    {
        Daemon = DaemonProcess.Start(Dir.Path,
        [
            .. Simulator.DaemonArguments(),
            $"--Runtime:Directory={Dir.Combine("run")}",
            $"--Kvp:PoolDirectory={Dir.Combine("pools")}",
            "--Telemetry:Prometheus:Enabled=false",
            $"--Vss:Include:0={Filesystem.MountPoint}",
            $"--Vss:HooksDirectory={HooksDirectory}",
            .. _extraArguments,
        ]);
        await Daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await Simulator.Vss.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(10));
    }

    /// <summary>FREEZE, after checking the plan holds the test's mount and nothing else.</summary>
    public Task<VssReply> FreezeAsync()
    {
        FreezePlanGuard.AssertOnly(Filesystem.MountPoint);
        return Host.FreezeAsync();
    }

    public FrozenWriteProbe Probe() => FrozenWriteProbe.Start(Filesystem.MountPoint);

    public string DaemonLog => string.Join('\n', Daemon?.Output ?? []);

    /// <summary>
    /// Waits for a daemon log line containing every one of <paramref name="texts"/>: the output is
    /// captured asynchronously (and the daemon holds its own log lines while frozen).
    /// </summary>
    public async Task WaitForLogAsync(params string[] texts)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!DaemonLog.Split('\n').Any(l => texts.All(t => l.Contains(t, StringComparison.Ordinal))))
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"no line with '{string.Join("', '", texts)}' in the daemon log:\n{DaemonLog}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Daemon is not null)
            {
                await Daemon.DisposeAsync();
            }
            await Simulator.DisposeAsync();
        }
        finally
        {
            Filesystem.Dispose();
            Dir.Dispose();
        }
    }
}
