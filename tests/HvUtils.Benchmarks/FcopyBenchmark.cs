using System.Diagnostics;
using System.Globalization;
using HvUtils.Fcopy;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// Host-to-guest copy throughput through the real hvutilsd: 6,144-byte WRITE_TO_FILE fragments,
/// timed from START to the COMPLETE reply (fsync and link included), to tmpfs and to a loop
/// ext4, over the legacy device and the UIO ring. Medians of N runs.
/// </summary>
public sealed class FcopyBenchmark : IBenchmark
{
    public string Name => "fcopy";

    public string Description => "MB/s of a copy in 6,144-byte chunks to tmpfs and ext4 over legacy and UIO [sizeMiB=1024] [runs=3]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        long size = (args.Count > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1024) << 20;
        int runs = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        RootRequirement.Assert();
        using var targets = new FcopyTargets(size >> 20);
        output.WriteLine($"{size >> 20} MiB per copy, {runs} runs, median MB/s (10^6 bytes/s), START → COMPLETE reply; ext4: {targets.Ext4Description}");
        output.WriteLine("cpu-bound = bytes / daemon CPU time (utime+stime): the rate the daemon sustains when it has a core to itself");
        output.WriteLine($"{"transport",-10} {"target",-6} {"median",8} {"cpu-bound",10}   runs");
        foreach (string transport in new[] { "legacy", "uio" })
        {
            await using FcopySimSession session = await FcopySimSession.StartAsync(transport);
            foreach ((string name, string dir) in targets.Both)
            {
                var rates = new List<double>();
                var cpuRates = new List<double>();
                for (int i = 0; i < runs; i++)
                {
                    double cpu0 = CpuSeconds(session.Daemon.Pid);
                    rates.Add(await CopyOnceAsync(session.Link, dir, size));
                    cpuRates.Add(size / 1e6 / Math.Max(CpuSeconds(session.Daemon.Pid) - cpu0, 0.01));
                    File.Delete(Path.Combine(dir, "bench.bin"));
                }
                rates.Sort();
                cpuRates.Sort();
                output.WriteLine($"{transport,-10} {name,-6} {rates[rates.Count / 2],8:0.0} {cpuRates[cpuRates.Count / 2],10:0.0}   {string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}");
            }
        }
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<double> CopyOnceAsync(IFcopyHostLink link, string dir, long size)
    {
        using var source = new PatternStream(size);
        var sw = Stopwatch.StartNew();
        FcopyResult r = await FcopyHost.CopyAsync(link, source, size, dir, "bench.bin", FcopyWire.OverWrite);
        sw.Stop();
        if (!r.Succeeded || new FileInfo(Path.Combine(dir, "bench.bin")).Length != size)
        {
            throw new InvalidOperationException($"copy failed: {r}");
        }
        return size / 1e6 / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A cheap read-only stream of <paramref name="length"/> bytes (random block repeated), so the source costs nothing.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private readonly byte[] _block = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 16);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            int done = 0;
            while (done < n)
            {
                int at = (int)((_position + done) % _block.Length);
                int k = Math.Min(n - done, _block.Length - at);
                Buffer.BlockCopy(_block, at, buffer, offset + done, k);
                done += k;
            }
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
