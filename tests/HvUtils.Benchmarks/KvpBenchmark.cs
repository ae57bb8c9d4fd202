using System.Diagnostics;
using System.Globalization;
using System.Text;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// Issue 3 point 8: host round trips through the simulator against the real hvutilsd —
/// ENUMERATE of the AUTO pool, and SET / GET / full ENUMERATE of pool 1 holding 100,
/// 1,000 and 10,000 records — with daemon and benchmark pinned (taskset) to the same
/// CPU and to different CPUs. Medians of N runs.
/// </summary>
public sealed class KvpBenchmark : IBenchmark
{
    private const int Operations = 20_000;

    public string Name => "kvp";

    public string Description => "KVP host round trips: AUTO ENUMERATE; pool 1 SET/GET/ENUMERATE at 100/1,000/10,000 records; same vs different CPUs [runs=3]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        output.WriteLine($"hvutilsd: {HostSim.Daemon.DaemonProcess.DefaultBinary}; {Operations:N0} operations per figure; medians of {runs} runs");
        await ReportPlacementsAsync(output, runs, OneRunAsync);
        Pin(Environment.ProcessId, 0);
        try
        {
            KvpChannelBenchmark.Run(output, Operations);
        }
        finally
        {
            Pin(Environment.ProcessId, -1);
        }
    }

    /// <summary>Runs <paramref name="oneRun"/> N times per placement (same CPU, different CPUs) and prints each workload's median run.</summary>
    internal static async Task ReportPlacementsAsync(TextWriter output, int runs,
        Func<int, int, Dictionary<string, List<KvpFigure>>, Task> oneRun, string placements = "both")
    {
        output.WriteLine($"pool files on {FilesystemType(Path.GetTempPath())} ({Path.GetTempPath()}); load average {LoadAverage()}");
        // HVUTILS_BENCH_CPUS=A,B: the driver's CPU and the other one (default 0,1), to keep clear of a CPU that is busy.
        int[] cpus = BenchCpus();
        output.WriteLine($"CPUs: driver on {cpus[0]}, daemon on {cpus[0]} (same) or {cpus[1]} (diff)");
        output.WriteLine($"{"placement",-10} {"workload",-32} {"ops/s",10} {"p50 µs",8} {"p99 µs",8} {"daemon CPU µs/op",17} {"driver CPU µs/op",17}");
        foreach ((string placement, int benchCpu, int daemonCpu) in new[] { ("same CPU", cpus[0], cpus[0]), ("diff CPUs", cpus[0], cpus[1]) }
            .Where(p => placements == "both" || p.Item1.StartsWith(placements, StringComparison.Ordinal)))
        {
            var results = new Dictionary<string, List<KvpFigure>>();
            for (int run = 0; run < runs; run++)
            {
                await oneRun(benchCpu, daemonCpu, results);
            }
            foreach ((string workload, List<KvpFigure> r) in results)
            {
                // The median run by rate; CPU per op is the median of its own column (load-independent).
                r.Sort((a, b) => a.Rate.CompareTo(b.Rate));
                KvpFigure m = r[r.Count / 2];
                double daemonCpuPerOp = Median(r.Select(f => f.DaemonCpu));
                double driverCpuPerOp = Median(r.Select(f => f.DriverCpu));
                output.WriteLine($"{placement,-10} {workload,-32} {m.Rate,10:N0} {m.P50,8:N1} {m.P99,8:N1} {daemonCpuPerOp,17:N2} {driverCpuPerOp,17:N2}");
            }
        }
        output.WriteLine($"load average at the end {LoadAverage()}");
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    /// <summary>The first three fields of /proc/loadavg.</summary>
    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    /// <summary>The filesystem type and device holding <paramref name="path"/> (findmnt), which decide what an in-place pool write costs.</summary>
    internal static string FilesystemType(string path) => ProcessRunner.Run("findmnt", ["-no", "FSTYPE,SOURCE", "-T", path], check: false).Output.Trim();

    private static async Task OneRunAsync(int benchCpu, int daemonCpu, Dictionary<string, List<KvpFigure>> results)
    {
        using var dir = new TempDirectory("hvutils-bench-");
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        s.Simulator.Kvp.RequestTimeout = TimeSpan.FromSeconds(30);
        Pin(s.Daemon.Pid, daemonCpu);
        Pin(Environment.ProcessId, benchCpu);
        try
        {
            Add(results, "AUTO ENUMERATE", await MeasureAsync(s.Daemon.Pid, Operations, i => s.Host.EnumerateAsync(2, (uint)(i % 10))));
            foreach (int records in new[] { 100, 1_000, 10_000 })
            {
                Prefill(s.PoolFile(1), records);
                await s.Host.EnumerateAsync(1, 0);
                Add(results, $"pool 1 @ {records,6:N0}: SET", await MeasureAsync(s.Daemon.Pid, Operations, i => s.Host.SetAsync(1, Key(i * 7919 % records), $"new-{i}")));
                Add(results, $"pool 1 @ {records,6:N0}: GET", await MeasureAsync(s.Daemon.Pid, Operations, i => s.Host.GetAsync(1, Key(i * 7919 % records))));
                Add(results, $"pool 1 @ {records,6:N0}: full ENUMERATE", await MeasureAsync(s.Daemon.Pid, Math.Max(Operations / records, 1) * records, i => s.Host.EnumerateAsync(1, (uint)(i % records))));
            }
        }
        finally
        {
            Pin(Environment.ProcessId, -1);
        }
    }

    private static async Task<KvpFigure> MeasureAsync(int daemonPid, int count, Func<int, Task<KvpHostResult>> op)
    {
        for (int i = 0; i < Math.Min(count, 500); i++)
        {
            await op(i);
        }
        var stats = new LatencyStats(count);
        long cpuBefore = CpuNanoseconds(daemonPid);
        long selfBefore = CpuNanoseconds(Environment.ProcessId);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            long t = Stopwatch.GetTimestamp();
            KvpHostResult r = await op(i);
            stats.Add(Stopwatch.GetTimestamp() - t);
            if (!r.Ok)
            {
                throw new InvalidOperationException($"operation {i} failed: 0x{r.Status:X8} {r.Failure}");
            }
        }
        double elapsed = total.Elapsed.TotalSeconds;
        double cpu = (CpuNanoseconds(daemonPid) - cpuBefore) / 1000.0 / count;
        double self = (CpuNanoseconds(Environment.ProcessId) - selfBefore) / 1000.0 / count;
        return new KvpFigure(count / elapsed, stats.Percentile(50), stats.Percentile(99), cpu, self);
    }

    /// <summary>Time on CPU of every thread of a process (/proc/PID/task/*/schedstat, first field, ns).</summary>
    internal static long CpuNanoseconds(int pid)
    {
        long sum = 0;
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                sum += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        return sum;
    }

    internal static void Add(Dictionary<string, List<KvpFigure>> results, string name, KvpFigure r)
    {
        if (!results.TryGetValue(name, out List<KvpFigure>? list))
        {
            results[name] = list = [];
        }
        list.Add(r);
    }

    internal static string Key(int i) => $"bench-key-{i:D6}";

    /// <summary>Writes the pool file directly in the C daemon's format, as a guest program would.</summary>
    internal static void Prefill(string path, int records)
    {
        byte[] file = new byte[records * 2560];
        for (int i = 0; i < records; i++)
        {
            Encoding.ASCII.GetBytes(Key(i), file.AsSpan(i * 2560));
            Encoding.ASCII.GetBytes($"value-{i}", file.AsSpan((i * 2560) + 512));
        }
        File.WriteAllBytes(path, file);
    }

    /// <summary>taskset -a -p: every thread of the process to one CPU (-1 = all CPUs).</summary>
    /// <summary>
    /// Pins only the calling thread (taskset on its thread id): a benchmark whose driver loop runs
    /// in this process keeps that one thread on the measured CPU and its other threads (JIT, thread
    /// pool, GC) elsewhere, as a C driver would have no such threads.
    /// </summary>
    internal static void PinCurrentThread(int cpu)
    {
        string tid = Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget ?? throw new IOException("/proc/thread-self is not a link"));
        ProcessRunner.Run("taskset", ["-p", "-c", cpu.ToString(CultureInfo.InvariantCulture), tid]);
    }

    /// <summary>HVUTILS_BENCH_CPUS=A,B: the driver's CPU and the other one (default 0,1).</summary>
    internal static int[] BenchCpus() =>
        [.. (Environment.GetEnvironmentVariable("HVUTILS_BENCH_CPUS") ?? "0,1").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];

    /// <summary>
    /// Keeps this harness process off the measured CPU: on the other CPU when driver and daemon
    /// share one, anywhere when they use both (the baseline had a C driver alone with the daemon).
    /// </summary>
    internal static void PinHarnessOffMeasuredCpu(int benchCpu, int daemonCpu) =>
        Pin(Environment.ProcessId, benchCpu == daemonCpu && Environment.ProcessorCount > 1 ? (benchCpu + 1) % Environment.ProcessorCount : -1);

    internal static void Pin(int pid, int cpu) =>
        ProcessRunner.Run("taskset", ["-a", "-p", "-c", cpu < 0 ? $"0-{Environment.ProcessorCount - 1}" : cpu.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)]);
}

/// <summary>One measured workload: round trips per second, latency percentiles (µs), CPU per round trip (µs) of the daemon and of the driver (the "kernel" side).</summary>
public readonly record struct KvpFigure(double Rate, double P50, double P99, double DaemonCpu, double DriverCpu);
