using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>Time from exec to READY=1 and idle RSS with all three channels registered (medians of N runs).</summary>
public sealed class StartupBenchmark : IBenchmark
{
    public string Name => "startup";

    public string Description => "exec → READY=1 and idle VmRSS of hvutilsd with three channels registered [runs=7]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7;
        var ready = new List<double>();
        var rss = new List<long>();
        output.WriteLine($"binary: {DaemonProcess.DefaultBinary}");
        for (int i = 0; i < runs; i++)
        {
            using var dir = new TempDirectory();
            await using HostSimulator sim = HostSimulator.Create(dir.Combine("dev"));
            await using DaemonProcess daemon = SimulatedDaemon.Start(dir, sim, ["--Telemetry:Prometheus:Enabled=false"]);
            await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
            DateTimeOffset readyAt = daemon.Notify.Lines.First(l => l.Line == "READY=1").At;
            await sim.WaitForAllRegisteredAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(1000);
            ready.Add((readyAt - daemon.StartedAt).TotalMilliseconds);
            rss.Add(daemon.ResidentKilobytes());
            await daemon.StopAsync();
            output.WriteLine($"run {i + 1}: READY after {ready[^1],6:N1} ms, VmRSS {rss[^1] / 1024.0,6:N1} MB");
        }
        ready.Sort();
        rss.Sort();
        output.WriteLine($"median of {runs}: READY after {ready[runs / 2]:N1} ms, idle VmRSS {rss[runs / 2] / 1024.0:N1} MB");
    }
}
