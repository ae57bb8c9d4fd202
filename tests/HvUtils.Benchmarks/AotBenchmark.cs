using System.Globalization;
using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// The shipped (NativeAOT) hvutilsd with all three channels registered against the simulator
/// and its default telemetry on (issue 8 §7): exec → READY, idle RSS (with what dominates it),
/// wake-ups while idle, binary size. Medians of several runs.
/// Args: BINARY [runs=5] [idle-seconds=60] [VAR=VALUE …] (extra environment, e.g. DOTNET_GCgen0size=0x100000).
/// </summary>
public sealed class AotBenchmark : IBenchmark
{
    public string Name => "aot";

    public string Description => "AOT hvutilsd: exec→READY, idle RSS + breakdown, idle wake-ups/s, size [BINARY runs=5 idle=60 VAR=VALUE…]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        string binary = Path.GetFullPath(args.Count > 0 ? args[0] : DaemonProcess.DefaultBinary);
        int runs = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        int idleSeconds = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 60;
        Dictionary<string, string> environment = args.Skip(3).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

        output.WriteLine($"binary: {binary} ({new FileInfo(binary).Length / 1024.0 / 1024.0:N2} MiB)");
        output.WriteLine($"environment: {(environment.Count == 0 ? "(none)" : string.Join(' ', environment.Select(kv => $"{kv.Key}={kv.Value}")))}");
        var ready = new List<double>();
        var rss = new List<long>();
        var scraped = new List<long>();
        var wakeups = new List<double>();
        var cpu = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            using var dir = new TempDirectory();
            await using HostSimulator sim = HostSimulator.Create(dir.Combine("dev"));
            await using DaemonProcess daemon = SimulatedDaemon.Start(dir, sim, [$"--Telemetry:Prometheus:Port={9564 + i}"], environment, binary);
            await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
            cpu.Add(ProcessSnapshot.CpuMilliseconds(daemon.Pid));
            ready.Add((daemon.Notify.Lines.First(l => l.Line == "READY=1").At - daemon.StartedAt).TotalMilliseconds);
            await sim.WaitForAllRegisteredAsync(TimeSpan.FromSeconds(10));
            // Idle begins once start-up work is over: the listener start and the daemon's own start-up
            // memory trim (Runtime:TrimMemoryAfter, 3 s after READY by default).
            await Task.Delay(5000);

            Dictionary<int, long> before = ProcessSnapshot.ContextSwitches(daemon.Pid);
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            (long switches, int exited) = ProcessSnapshot.Delta(before, ProcessSnapshot.ContextSwitches(daemon.Pid));
            wakeups.Add(switches / (double)idleSeconds);
            rss.Add(daemon.ResidentKilobytes());
            // What a monitored daemon keeps resident: the scrape path's pages come back with the first scrape.
            using (var http = new HttpClient())
            {
                await http.GetStringAsync(new Uri($"http://127.0.0.1:{9564 + i}/metrics"));
            }
            scraped.Add(daemon.ResidentKilobytes());
            output.WriteLine($"run {i + 1}: READY {ready[^1],6:N1} ms ({cpu[^1]:N1} ms CPU), idle VmRSS {rss[^1] / 1024.0,5:N1} MiB ({scraped[^1] / 1024.0:N1} after a scrape), "
                + $"{wakeups[^1]:N2} wake-ups/s over {idleSeconds} s, {ProcessSnapshot.Threads(daemon.Pid)} threads ({exited} exited while idle)");
            if (i == runs - 1)
            {
                PrintBreakdown(daemon.Pid, output);
            }
            int exit = await daemon.StopAsync();
            if (exit != 0)
            {
                output.WriteLine($"run {i + 1}: exit code {exit}:\n{string.Join('\n', daemon.Output)}");
            }
        }
        output.WriteLine($"median of {runs}: READY {Median(ready):N1} ms ({Median(cpu):N1} ms CPU, which does not depend on machine load), idle VmRSS {Median(rss.Select(r => (double)r)) / 1024.0:N1} MiB ({Median(scraped.Select(r => (double)r)) / 1024.0:N1} after a scrape), "
            + $"{Median(wakeups):N2} wake-ups/s, binary {new FileInfo(binary).Length / 1024.0 / 1024.0:N2} MiB");
    }

    private static void PrintBreakdown(int pid, TextWriter output)
    {
        Dictionary<string, long> r = ProcessSnapshot.Rollup(pid);
        output.WriteLine($"smaps_rollup: Rss {r["Rss"]} kB = anon {r.GetValueOrDefault("Pss_Anon")} kB + file {r.GetValueOrDefault("Pss_File")} kB (Pss), "
            + $"Shared_Clean {r.GetValueOrDefault("Shared_Clean")} kB, Private_Clean {r.GetValueOrDefault("Private_Clean")} kB, "
            + $"Private_Dirty {r.GetValueOrDefault("Private_Dirty")} kB");
        output.WriteLine("largest mappings by Rss:");
        foreach ((string name, long kb) in ProcessSnapshot.RssByMapping(pid).Take(8))
        {
            output.WriteLine($"  {kb,7} kB  {name}");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
