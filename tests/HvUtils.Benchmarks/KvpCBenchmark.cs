using System.Diagnostics;
using System.Globalization;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// Issue 3 point 8 measured like the baseline of spec/quirks.md: a C load driver
/// (CDriver/kvp_driver.c, built with gcc at run time) plays the kernel side of the
/// daemon's SEQPACKET device — handshake, then one blocking send and recv per round trip
/// of prebuilt requests — against the real hvutilsd. Reports ops/s, p50/p99, and the CPU
/// per round trip of the daemon and of the driver, so a driver's share can be told apart.
/// Arguments: [runs=3] [metrics=on|off] [same|diff|both] [all|auto] (on: the Prometheus exporter enabled as
/// shipped; same/diff: only driver and daemon on one CPU, or on CPUs 0 and 1; auto: only the AUTO
/// ENUMERATE figure, for quick A/B runs and profiling).
/// </summary>
public sealed class KvpCBenchmark : IBenchmark
{
    private const int Operations = 50_000;

    public string Name => "kvp-c";

    public string Description => "KVP round trips with a C driver (gcc): AUTO ENUMERATE; pool 1 SET/GET/ENUMERATE at 100/1,000/10,000 records [runs=3] [metrics=on|off] [same|diff|both] [all|auto]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        bool metrics = args.Count <= 1 || args[1] != "off";
        string placements = args.Count > 2 ? args[2] : "both";
        bool autoOnly = args.Count > 3 && args[3] == "auto";
        string driver = KvpCDriver.Build();
        output.WriteLine($"hvutilsd: {DaemonProcess.DefaultBinary}; C driver {driver}; metrics {(metrics ? "on (Prometheus exporter)" : "off")}; {Operations:N0} round trips per figure; medians of {runs} runs");
        await KvpBenchmark.ReportPlacementsAsync(output, runs, (benchCpu, daemonCpu, results) => OneRunAsync(driver, metrics, autoOnly, benchCpu, daemonCpu, results), placements);
    }

    private static async Task OneRunAsync(string driverPath, bool metrics, bool autoOnly, int benchCpu, int daemonCpu, Dictionary<string, List<KvpFigure>> results)
    {
        using var dir = new TempDirectory("hvutils-bench-");
        string device = dir.Combine("hv_kvp");
        using var driver = new KvpCDriver(driverPath, device);
        await using DaemonProcess daemon = KvpDirectBenchmark.StartDaemon(dir, device, metrics);
        driver.WaitFor("registered");
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        KvpBenchmark.Pin(daemon.Pid, daemonCpu);
        KvpBenchmark.Pin(driver.Pid, benchCpu);
        // This harness only feeds the driver its commands: its JIT and thread-pool work count for neither side.
        KvpBenchmark.PinHarnessOffMeasuredCpu(benchCpu, daemonCpu);
        try
        {
            KvpBenchmark.Add(results, "AUTO ENUMERATE", driver.Run(daemon.Pid, dir, Operations, i => KvpHostConversion.EnumerateMessage(2, (uint)(i % 10))));
            foreach (int records in autoOnly ? [] : new[] { 100, 1_000, 10_000 })
            {
                KvpBenchmark.Prefill(Path.Combine(dir.Combine("pools"), ".kvp_pool_1"), records);
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: SET", driver.Run(daemon.Pid, dir, Operations,
                    i => KvpHostConversion.ExchangeMessage(1, 1, KvpBenchmark.Key(i * 7919 % records), $"new-{i % 97}")));
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: GET", driver.Run(daemon.Pid, dir, Operations,
                    i => KvpHostConversion.ExchangeMessage(0, 1, KvpBenchmark.Key(i * 7919 % records))));
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: full ENUMERATE", driver.Run(daemon.Pid, dir, Math.Max(Operations / records, 1) * records,
                    i => KvpHostConversion.EnumerateMessage(1, (uint)(i % records))));
            }
        }
        finally
        {
            KvpBenchmark.Pin(Environment.ProcessId, -1);
        }
    }
}

/// <summary>The running C driver: commands on its stdin, one result line each on its stdout.</summary>
internal sealed class KvpCDriver : IDisposable
{
    private readonly Process _process;

    public KvpCDriver(string binary, string device)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(device);
        _process = Process.Start(psi)!;
        WaitFor("listening");
    }

    public int Pid => _process.Id;

    /// <summary>Compiles CDriver/kvp_driver.c (copied beside the benchmark) into a cache directory, once per source version.</summary>
    public static string Build()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "CDriver", "kvp_driver.c");
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)))[..16];
        string binary = Path.Combine(Path.GetTempPath(), $"hvutils-kvp-driver-{hash}");
        if (!File.Exists(binary))
        {
            string tmp = $"{binary}.{Environment.ProcessId}";
            ProcessRunner.Run("gcc", ["-O2", "-Wall", "-Werror", "-o", tmp, source]);
            File.Move(tmp, binary, overwrite: true);
        }
        return binary;
    }

    /// <summary>Writes the requests (a bounded set, reused round-robin) to a file and runs <paramref name="count"/> round trips.</summary>
    public KvpFigure Run(int daemonPid, TempDirectory dir, int count, Func<int, byte[]> build)
    {
        string file = dir.Combine("requests.bin");
        using (FileStream f = File.Create(file))
        {
            for (int i = 0; i < Math.Min(count, 4096); i++)
            {
                f.Write(build(i));
            }
        }
        _process.StandardInput.WriteLine($"run {daemonPid} {file} {count}");
        _process.StandardInput.Flush();
        string[] f5 = WaitFor("ok").Split(' ');
        double At(int i) => double.Parse(f5[i], CultureInfo.InvariantCulture);
        return new KvpFigure(At(1), At(2), At(3), At(4), At(5));
    }

    /// <summary>The next line, which must start with <paramref name="word"/> (the driver prints "error ..." and exits otherwise).</summary>
    public string WaitFor(string word)
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(120)) || line.Result is not { } text || !text.StartsWith(word, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"C driver: expected \"{word}\", got \"{(line.IsCompleted ? line.Result : "nothing within 120 s")}\"");
        }
        return text;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        catch (IOException)
        {
            // The driver already exited (it prints its error first).
        }
        _process.Dispose();
    }
}
