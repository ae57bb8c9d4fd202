using System.Diagnostics;
using System.Globalization;
using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Vss;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// FREEZE and THAW round trips (host request → daemon reply) through the simulator on a
/// scratch ext4 loop filesystem, without hooks and with two trivial hooks; medians of the
/// per-run p50s. Needs root. The plan is checked to be only the loop mount before each FREEZE.
/// </summary>
public sealed class VssBenchmark : IBenchmark
{
    public string Name => "vss";

    public string Description => "FREEZE/THAW round trips on a loop ext4, no hooks and two hooks (root) [runs=5] [cycles=200] [hookCycles=30]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = Arg(args, 0, 5), cycles = Arg(args, 1, 200), hookCycles = Arg(args, 2, 30);
        output.WriteLine($"binary: {DaemonProcess.DefaultBinary}");
        var results = new Dictionary<string, List<double>>();
        for (int run = 1; run <= runs; run++)
        {
            using var dir = new TempDirectory();
            // The marker directory on tmpfs, as /run/hvutils is in production (here /tmp is on disk).
            using var runtime = new RuntimeDirectory();
            using LoopFilesystem fs = LoopFilesystem.Create();
            await using HostSimulator sim = HostSimulator.Create(dir.Combine("dev"));
            await using DaemonProcess daemon = DaemonProcess.Start(dir.Path,
            [
                // Only the loop mount is ever planned; hooks and the marker live in the temp directory.
                $"--Vss:Include:0={fs.MountPoint}",
                $"--Vss:HooksDirectory={dir.Combine("hooks")}",
                $"--Runtime:Directory={runtime.Path}",
                .. sim.DaemonArguments(),
                $"--Kvp:PoolDirectory={dir.Combine("pools")}",
                "--Telemetry:Prometheus:Enabled=false",
            ]);
            await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
            await sim.Vss.WaitForStateAsync(HostSim.Devices.DeviceState.Ready, TimeSpan.FromSeconds(10));
            var host = new VssHost(sim.Vss);
            try
            {
                (LatencyStats first, _) = await MeasureAsync(host, fs.MountPoint, 1);
                Add(results, "first FREEZE after start", first.Percentile(50));
                LatencyStats backup = await MeasureHotBackupAsync(host, cycles);
                Add(results, "HOT_BACKUP (no freeze)", backup.Percentile(50));
                (LatencyStats freeze, LatencyStats thaw) = await MeasureAsync(host, fs.MountPoint, cycles);
                (LatencyStats rawFreeze, LatencyStats rawThaw) = MeasureIoctls(fs.MountPoint, cycles);
                Add(results, "FIFREEZE ioctl alone", rawFreeze.Percentile(50));
                Add(results, "FITHAW ioctl alone", rawThaw.Percentile(50));
                CreateHooks(dir.Combine("hooks"));
                (LatencyStats hookFreeze, LatencyStats hookThaw) = await MeasureAsync(host, fs.MountPoint, hookCycles);
                Add(results, "FREEZE, no hooks", freeze.Percentile(50));
                Add(results, "THAW, no hooks", thaw.Percentile(50));
                Add(results, "FREEZE, two hooks", hookFreeze.Percentile(50));
                Add(results, "THAW, two hooks", hookThaw.Percentile(50));
                output.WriteLine($"run {run}: FREEZE p50 {freeze.Percentile(50):N1} µs (p99 {freeze.Percentile(99):N1}), THAW p50 {thaw.Percentile(50):N1} µs (p99 {thaw.Percentile(99):N1}); " +
                    $"with two hooks FREEZE {hookFreeze.Percentile(50):N1} µs, THAW {hookThaw.Percentile(50):N1} µs; first FREEZE {first.Percentile(50):N1} µs; HOT_BACKUP {backup.Percentile(50):N1} µs");
            }
            finally
            {
                await daemon.StopAsync();
            }
        }
        output.WriteLine($"medians of {runs} runs (p50 per run):");
        foreach ((string name, List<double> values) in results)
        {
            values.Sort();
            output.WriteLine($"  {name,-26} {values[values.Count / 2],10:N1} µs");
        }
    }

    /// <summary>The kernel's own cost, measured in this process with no daemon: open + ioctl + close per call.</summary>
    private static (LatencyStats Freeze, LatencyStats Thaw) MeasureIoctls(string mountPoint, int cycles)
    {
        var freeze = new LatencyStats(cycles);
        var thaw = new LatencyStats(cycles);
        var control = HvUtils.Vss.Freezing.KernelFreezeControl.Instance;
        try
        {
            for (int i = 0; i < cycles; i++)
            {
                FreezePlanGuard.AssertOnly(mountPoint);
                long start = Stopwatch.GetTimestamp();
                int frozen = control.Freeze(mountPoint);
                freeze.Add(Stopwatch.GetTimestamp() - start);
                start = Stopwatch.GetTimestamp();
                int thawed = control.Thaw(mountPoint);
                thaw.Add(Stopwatch.GetTimestamp() - start);
                if (frozen != 0 || thawed != 0)
                {
                    throw new InvalidOperationException($"FIFREEZE {frozen}, FITHAW {thawed}");
                }
            }
        }
        finally
        {
            control.Thaw(mountPoint);
        }
        return (freeze, thaw);
    }

    /// <summary>The simulator + channel round trip with no filesystem work: the floor under FREEZE and THAW.</summary>
    private static async Task<LatencyStats> MeasureHotBackupAsync(VssHost host, int cycles)
    {
        var stats = new LatencyStats(cycles);
        for (int i = 0; i < cycles; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await host.HotBackupAsync();
            stats.Add(Stopwatch.GetTimestamp() - start);
        }
        return stats;
    }

    private static async Task<(LatencyStats Freeze, LatencyStats Thaw)> MeasureAsync(VssHost host, string mountPoint, int cycles)
    {
        var freeze = new LatencyStats(cycles);
        var thaw = new LatencyStats(cycles);
        for (int i = 0; i < cycles; i++)
        {
            FreezePlanGuard.AssertOnly(mountPoint);
            long start = Stopwatch.GetTimestamp();
            VssReply frozen = await host.FreezeAsync();
            freeze.Add(Stopwatch.GetTimestamp() - start);
            start = Stopwatch.GetTimestamp();
            VssReply thawed = await host.ThawAsync();
            thaw.Add(Stopwatch.GetTimestamp() - start);
            if (!frozen.Succeeded || !thawed.Succeeded)
            {
                throw new InvalidOperationException($"FREEZE {frozen}, THAW {thawed}");
            }
        }
        return (freeze, thaw);
    }

    private static void CreateHooks(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (string name in new[] { "10-first", "20-second" })
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            ProcessRunner.Run("chmod", "0700", path);
        }
    }

    private static void Add(Dictionary<string, List<double>> results, string name, double value)
    {
        if (!results.TryGetValue(name, out List<double>? list))
        {
            results[name] = list = [];
        }
        list.Add(value);
    }

    private static int Arg(IReadOnlyList<string> args, int index, int fallback) =>
        args.Count > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>A fresh directory on /dev/shm (tmpfs), removed on dispose.</summary>
    private sealed class RuntimeDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory($"/dev/shm/hvutils-bench-{Guid.NewGuid():N}").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
