using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HvUtils.Core.Channels;
using HvUtils.Fcopy;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// Issue 6 point 6: a copy in 6,144-byte WRITE_TO_FILE fragments through the real hvutilsd,
/// driven by a synchronous C-style host (<see cref="FcopyDirectHost"/>), to tmpfs and to a loop
/// ext4 the benchmark creates, over the legacy device and the UIO ring, with benchmark and daemon
/// on the same CPU and on different CPUs. Each figure is the median of N runs; the rate is timed
/// from START to the COMPLETE reply (fsync and link included). Metrics are on (Prometheus
/// listening), as shipped.
/// </summary>
public sealed class FcopyDirectBenchmark : IBenchmark
{
    private const int Chunk = FcopyWire.DataFragment;

    /// <summary>Fragments in the data pattern: the file byte at offset o is Pattern[o % (Chunk × PatternChunks)].</summary>
    private const int PatternChunks = 11;

    /// <summary>Set by Ctrl-C / SIGTERM: the copy loop stops, so the finally blocks unmount and detach.</summary>
    private static volatile bool s_interrupted;

    public string Name => "fcopy-direct";

    public string Description => "FCOPY MB/s, 6,144-byte chunks, synchronous C-style host: tmpfs/ext4 × legacy/uio × same/diff CPU [sizeMiB=1024] [runs=5] [metrics-off] [loop-buffered] [legacy|uio] [tmpfs|ext4] [same|diff]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        long[] numbers = [.. args.Where(a => a.All(char.IsAsciiDigit)).Select(a => long.Parse(a, CultureInfo.InvariantCulture))];
        long size = (numbers.Length > 0 ? numbers[0] : 1024) << 20;
        int runs = numbers.Length > 1 ? (int)numbers[1] : 5;
        bool metrics = !args.Contains("metrics-off");
        // Optional filters: name a transport, target or placement to run only those rows.
        bool Selected(string value, params string[] group) => !group.Any(args.Contains) || args.Contains(value);
        RootRequirement.Assert();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        output.WriteLine($"hvutilsd: {DaemonProcess.DefaultBinary}; metrics {(metrics ? "on (Prometheus listening)" : "off")}");
        output.WriteLine($"{size >> 20} MiB per copy in {Chunk}-byte WRITE_TO_FILE messages, one at a time; median of {runs} runs ({DiffCpuRuns(runs)} on different CPUs); load average {LoadAverage()}");
        output.WriteLine("MB/s = 10^6 bytes / s from START to the COMPLETE reply (fsync + link included); 'no COMPLETE' stops at the last WRITE reply");
        output.WriteLine("(the C daemon's reference, spec/quirks.md: 756 MB/s tmpfs, 613 MB/s ext4, written in place without fsync, C driver, same CPU)");
        output.WriteLine("daemon µs/MiB = its threads' time on CPU (/proc/PID/task/*/schedstat) per MiB copied; host µs/MiB = the driver thread's (/proc/thread-self/schedstat)");
        output.WriteLine("CPU-bound = 1.048576e6 / (daemon + host µs/MiB): the same-CPU rate when nothing else runs on that CPU (load-independent; other jobs only add to MB/s wall time)");
        int[] cpus = KvpBenchmark.BenchCpus();
        output.WriteLine($"CPUs: driver thread on {cpus[0]}, daemon on {cpus[0]} (same) or {cpus[1]} (diff); HVUTILS_BENCH_CPUS=A,B to change");
        using var targets = new FcopyTargets(size >> 20, bufferedLoop: args.Contains("loop-buffered"));
        output.WriteLine($"ext4: {targets.Ext4Description}");
        byte[] pattern = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Chunk * PatternChunks);
        output.WriteLine($"{"placement",-10} {"transport",-9} {"target",-6} {"MB/s",7} {"min–max",13} {"no COMPLETE",11} {"COMPLETE ms",11} {"daemon µs/MiB",13} {"host µs/MiB",11} {"CPU-bound",9}");
        // The device nodes and the UIO ring file live on the tmpfs: a ring mapped from a file on
        // a disk filesystem would pay writeback faults that /dev/uioN's memory never does.
        foreach (string transport in new[] { "legacy", "uio" }.Where(t => Selected(t, "legacy", "uio")))
        {
            using FcopyDirectHost host = transport == "uio" ? new UioDirectHost(Path.Combine(targets.Tmpfs, ".uio")) : new LegacyDirectHost(targets.Tmpfs);
            await using DaemonProcess daemon = await StartDaemonAsync(targets.Work, host, metrics);
            foreach ((string placement, int benchCpu, int daemonCpu) in new[] { ("same CPU", cpus[0], cpus[0]), ("diff CPUs", cpus[0], cpus[1]) }.Where(p => Selected(p.Item1[..4], "same", "diff")))
            {
                KvpBenchmark.Pin(daemon.Pid, daemonCpu);
                // The copy loop runs on this thread (no await until the rows are done): only it shares
                // the daemon's CPU; this process's other threads (JIT, thread pool, GC) stay off it, as
                // the C driver of the reference had none (spec/quirks.md).
                KvpBenchmark.PinHarnessOffMeasuredCpu(benchCpu, daemonCpu);
                KvpBenchmark.PinCurrentThread(benchCpu);
                try
                {
                    foreach ((string target, string dir) in targets.Both.Where(t => Selected(t.Name, "tmpfs", "ext4")))
                    {
                        var results = new List<RunResult>();
                        for (int i = 0; i < (daemonCpu == benchCpu ? runs : DiffCpuRuns(runs)); i++)
                        {
                            results.Add(CopyOnce(host, daemon.Pid, dir, size, pattern, verify: i == 0));
                        }
                        output.WriteLine(Row(placement, transport, target, size, results));
                    }
                }
                finally
                {
                    KvpBenchmark.Pin(Environment.ProcessId, -1);
                }
            }
        }
        output.WriteLine($"load average at the end: {LoadAverage()}");
    }

    /// <summary>Cross-CPU rows are an order of magnitude slower (two cross-CPU wake-ups per message): at most 3 runs.</summary>
    private static int DiffCpuRuns(int runs) => Math.Min(runs, 3);

    private static void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        s_interrupted = true;
    }

    private static async Task<DaemonProcess> StartDaemonAsync(TempDirectory work, FcopyDirectHost host, bool metrics)
    {
        DaemonProcess daemon = DaemonProcess.Start(work.Path,
        [
            .. host.DaemonArguments(),
            "--Kvp:Enabled=false",
            "--Vss:Enabled=false",
            $"--Runtime:Directory={work.Combine("run-" + host.Transport)}",
            "--Telemetry:Otlp:Enabled=false",
            metrics ? $"--Telemetry:Prometheus:Port={MetricsCostBenchmark.FreePort()}" : "--Telemetry:Prometheus:Enabled=false",
        ]);
        try
        {
            host.Connect(TimeSpan.FromSeconds(30));
            await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private readonly record struct RunResult(double Seconds, double WritesSeconds, double CompleteSeconds, double CpuSeconds, double HostCpuSeconds);

    /// <summary>Time on CPU of the calling thread (the host driver loop), ns.</summary>
    private static long ThreadCpuNanoseconds() =>
        long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

    private static RunResult CopyOnce(FcopyDirectHost host, int daemonPid, string dir, long size, byte[] pattern, bool verify)
    {
        int headroom = host.Headroom;
        byte[][] writes = new byte[PatternChunks][];
        for (int k = 0; k < PatternChunks; k++)
        {
            writes[k] = new byte[headroom + FcopyWire.WriteSize];
            FcopyMessages.FillWrite(writes[k].AsSpan(headroom), 0, pattern.AsSpan(k * Chunk, Chunk));
        }
        byte[] start = [.. new byte[headroom], .. host.Start("bench.bin", dir, FcopyWire.OverWrite, (ulong)size)];
        byte[] complete = new byte[headroom + host.ControlLength];
        BinaryPrimitives.WriteUInt32LittleEndian(complete.AsSpan(headroom), FcopyWire.CompleteFcopy);

        long cpu0 = KvpBenchmark.CpuNanoseconds(daemonPid);
        long host0 = ThreadCpuNanoseconds();
        long t0 = Stopwatch.GetTimestamp();
        Check(host.Send(start), "START_FILE_COPY");
        long sent = 0;
        for (int i = 0; sent < size; i++)
        {
            byte[] m = writes[i % PatternChunks];
            int n = (int)Math.Min(Chunk, size - sent);
            BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(headroom + FcopyWire.WriteOffsetOffset), (ulong)sent);
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(headroom + FcopyWire.WriteSizeOffset), (uint)n);
            Check(host.Send(m), "WRITE_TO_FILE");
            sent += n;
            if (s_interrupted)
            {
                throw new OperationCanceledException("interrupted; cleaning up");
            }
        }
        long t1 = Stopwatch.GetTimestamp();
        Check(host.Send(complete), "COMPLETE_FCOPY");
        long t2 = Stopwatch.GetTimestamp();
        long cpu1 = KvpBenchmark.CpuNanoseconds(daemonPid);
        long host1 = ThreadCpuNanoseconds();

        string path = Path.Combine(dir, "bench.bin");
        if (verify)
        {
            Verify(path, size, pattern);
        }
        File.Delete(path);
        // Commit the deletion (syncfs): ext4 reuses freed blocks only after its journal commits,
        // and the next copy must not start on a filesystem still short of space.
        ProcessRunner.Run("sync", "-f", dir);
        double f = Stopwatch.Frequency;
        return new RunResult((t2 - t0) / f, (t1 - t0) / f, (t2 - t1) / f, (cpu1 - cpu0) / 1e9, (host1 - host0) / 1e9);
    }

    private static void Check(uint status, string step)
    {
        if (status != HvStatus.S_OK)
        {
            throw new InvalidOperationException($"{step} answered 0x{status:X8} ({HvStatus.Outcome(status)})");
        }
    }

    /// <summary>Length, and 1 MiB at the start, the middle and the end compared with the pattern.</summary>
    private static void Verify(string path, long size, byte[] pattern)
    {
        using FileStream f = File.OpenRead(path);
        if (f.Length != size)
        {
            throw new InvalidOperationException($"{path}: {f.Length} bytes, expected {size}");
        }
        byte[] buffer = new byte[1 << 20];
        foreach (long at in new[] { 0, size / 2 / Chunk * Chunk + 17, Math.Max(0, size - buffer.Length) })
        {
            f.Position = at;
            int n = f.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, size - at), throwOnEndOfStream: true);
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != pattern[(at + i) % pattern.Length])
                {
                    throw new InvalidOperationException($"{path}: byte {at + i} differs from what was sent");
                }
            }
        }
    }

    private static string Row(string placement, string transport, string target, long size, List<RunResult> runs)
    {
        double Median(Func<RunResult, double> pick)
        {
            double[] v = [.. runs.Select(pick).Order()];
            return v[v.Length / 2];
        }
        double mb = size / 1e6;
        double rate = Median(r => mb / r.Seconds);
        string range = $"{runs.Min(r => mb / r.Seconds):0}–{runs.Max(r => mb / r.Seconds):0}";
        double daemonPerMib = Median(r => r.CpuSeconds * 1e6 / (size >> 20));
        double hostPerMib = Median(r => r.HostCpuSeconds * 1e6 / (size >> 20));
        double bound = Median(r => 1.048576e6 / ((r.CpuSeconds + r.HostCpuSeconds) * 1e6 / (size >> 20)));
        return $"{placement,-10} {transport,-9} {target,-6} {rate,7:0} {range,13} {Median(r => mb / r.WritesSeconds),11:0} {Median(r => r.CompleteSeconds * 1000),11:0.0} {daemonPerMib,13:0} {hostPerMib,11:0} {bound,9:0}";
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
