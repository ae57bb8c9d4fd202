using System.Diagnostics;
using HvUtils.HostSim.Kvp;
using HvUtils.Kvp;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Network;
using HvUtils.Kvp.Pools;
using HvUtils.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Benchmarks;

/// <summary>
/// The daemon's share of a KVP request without any transport: <see cref="KvpChannel.Handle"/>
/// in process on the real pool files (both locks, change check, pread/pwrite), so the
/// cost of the pool store can be read apart from the simulator's socket round trip.
/// </summary>
internal static class KvpChannelBenchmark
{
    public static void Run(TextWriter output, int operations)
    {
        using var dir = new TempDirectory("hvutils-bench-");
        var options = new KvpOptions { PoolDirectory = dir.Combine("pools") };
        using var pools = new KvpPoolSet(options.PoolDirectory, new PoolFileSettings(options.LockTimeout, options.MaxRecordsPerPool, true, NullLogger.Instance));
        using var auto = new AutoPool(OsInfo.Collect(options.OsReleasePath), new KernelHostNameSource(options.HostNamePath), new InterfaceAddressSource(new NetworkInfoService(Options.Create(options))));
        var channel = new KvpChannel(Options.Create(options), pools, auto, new UnavailableIpInfoProvider(), NullLogger<KvpChannel>.Instance);
        byte[] reply = new byte[KvpHostConversion.MessageSize];
        output.WriteLine();
        output.WriteLine($"in process (KvpChannel.Handle, no transport), {operations:N0} operations per figure, this thread's CPU");
        output.WriteLine($"{"workload",-32} {"ops/s",10} {"p50 µs",8} {"p99 µs",8}");
        byte[][] autoRequests = [.. Enumerable.Range(0, 10).Select(i => KvpHostConversion.EnumerateMessage(2, (uint)i))];
        Report(output, "AUTO ENUMERATE", Measure(channel, reply, operations, i => autoRequests[i % 10]));
        foreach (int records in new[] { 100, 1_000, 10_000 })
        {
            KvpBenchmark.Prefill(Path.Combine(options.PoolDirectory, ".kvp_pool_1"), records);
            byte[][] sets = [.. Enumerable.Range(0, records).Select(i => KvpHostConversion.ExchangeMessage(1, 1, KvpBenchmark.Key(i), $"new-{i}"))];
            byte[][] gets = [.. Enumerable.Range(0, records).Select(i => KvpHostConversion.ExchangeMessage(0, 1, KvpBenchmark.Key(i)))];
            byte[][] enums = [.. Enumerable.Range(0, records).Select(i => KvpHostConversion.EnumerateMessage(1, (uint)i))];
            Report(output, $"pool 1 @ {records,6:N0}: SET", Measure(channel, reply, operations, i => sets[i * 7919 % records]));
            Report(output, $"pool 1 @ {records,6:N0}: GET", Measure(channel, reply, operations, i => gets[i * 7919 % records]));
            Report(output, $"pool 1 @ {records,6:N0}: full ENUMERATE", Measure(channel, reply, operations, i => enums[i % records]));
        }
    }

    private static (double Rate, LatencyStats Stats) Measure(KvpChannel channel, byte[] reply, int count, Func<int, byte[]> request)
    {
        for (int i = 0; i < 1000; i++)
        {
            Array.Clear(reply);
            channel.Handle(request(i), reply);
        }
        var stats = new LatencyStats(count);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            byte[] r = request(i);
            long t = Stopwatch.GetTimestamp();
            Array.Clear(reply);
            channel.Handle(r, reply);
            stats.Add(Stopwatch.GetTimestamp() - t);
            if (reply[0] != 0 || reply[1] != 0)
            {
                throw new InvalidOperationException($"request {i} failed");
            }
        }
        return (count / total.Elapsed.TotalSeconds, stats);
    }

    private static void Report(TextWriter output, string workload, (double Rate, LatencyStats Stats) r) =>
        output.WriteLine($"{workload,-32} {r.Rate,10:N0} {r.Stats.Percentile(50),8:N1} {r.Stats.Percentile(99),8:N1}");
}
