using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// KVP round trips with a minimal synchronous "kernel": one blocking SEQPACKET socket, a
/// prebuilt request per operation, one send and one receive per round trip — the shape of
/// the C load driver behind the baseline in spec/quirks.md. The `kvp` benchmark goes
/// through the full simulator (async, conversions, bookkeeping), which costs more per
/// round trip than the daemon itself.
/// </summary>
public sealed class KvpDirectBenchmark : IBenchmark
{
    private const int Operations = 50_000;
    private const uint HvSCont = 0x80070103;

    public string Name => "kvp-direct";

    public string Description => "KVP round trips with a synchronous C-style driver: AUTO ENUMERATE; pool 1 SET/GET/ENUMERATE at 100/1,000/10,000 records [runs=3]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        output.WriteLine($"hvutilsd: {DaemonProcess.DefaultBinary}; {Operations:N0} round trips per figure; medians of {runs} runs");
        await KvpBenchmark.ReportPlacementsAsync(output, runs, OneRunAsync);
    }

    private static async Task OneRunAsync(int benchCpu, int daemonCpu, Dictionary<string, List<KvpFigure>> results)
    {
        using var dir = new TempDirectory("hvutils-bench-");
        string device = dir.Combine("hv_kvp");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(device));
        listener.Listen(1);
        await using DaemonProcess daemon = StartDaemon(dir, device, metrics: false);
        using Socket kernel = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Register(kernel);
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        KvpBenchmark.Pin(daemon.Pid, daemonCpu);
        KvpBenchmark.Pin(Environment.ProcessId, benchCpu);
        try
        {
            KvpBenchmark.Add(results, "AUTO ENUMERATE", Measure(kernel, daemon.Pid, Requests(Operations, i => KvpHostConversion.EnumerateMessage(2, (uint)(i % 10)))));
            foreach (int records in new[] { 100, 1_000, 10_000 })
            {
                KvpBenchmark.Prefill(Path.Combine(dir.Combine("pools"), ".kvp_pool_1"), records);
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: SET", Measure(kernel, daemon.Pid,
                    Requests(Operations, i => KvpHostConversion.ExchangeMessage(1, 1, KvpBenchmark.Key(i * 7919 % records), $"new-{i % 97}"))));
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: GET", Measure(kernel, daemon.Pid,
                    Requests(Operations, i => KvpHostConversion.ExchangeMessage(0, 1, KvpBenchmark.Key(i * 7919 % records)))));
                KvpBenchmark.Add(results, $"pool 1 @ {records,6:N0}: full ENUMERATE", Measure(kernel, daemon.Pid,
                    Requests(Math.Max(Operations / records, 1) * records, i => KvpHostConversion.EnumerateMessage(1, (uint)(i % records)))));
            }
        }
        finally
        {
            KvpBenchmark.Pin(Environment.ProcessId, -1);
        }
    }

    /// <summary>
    /// hvutilsd serving only KVP on <paramref name="device"/>, its pools and runtime files in
    /// <paramref name="dir"/>; with <paramref name="metrics"/> the Prometheus exporter runs as
    /// shipped (on a free loopback port, so runs never collide), so every request pays for its metrics.
    /// </summary>
    internal static DaemonProcess StartDaemon(TempDirectory dir, string device, bool metrics) =>
        DaemonProcess.Start(dir.Path,
        [
            $"--Kvp:DevicePath={device}",
            $"--Kvp:PoolDirectory={dir.Combine("pools")}",
            $"--Runtime:Directory={dir.Combine("run")}",
            "--Vss:Enabled=false",
            "--Fcopy:Enabled=false",
            $"--Telemetry:Prometheus:Enabled={(metrics ? "true" : "false")}",
            $"--Telemetry:Prometheus:Port={FreePort()}",
        ]);

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The kernel's half of the handshake (spec/transport.md §7.1): read REGISTER1, answer opcode 100 with "3.1".</summary>
    private static void Register(Socket kernel)
    {
        byte[] buffer = new byte[8192];
        int n = kernel.Receive(buffer);
        if (n != KvpHostConversion.MessageSize || buffer[0] != 100)
        {
            throw new InvalidOperationException($"unexpected registration of {n} bytes");
        }
        byte[] reply = new byte[KvpHostConversion.MessageSize];
        reply[0] = 100;
        "3.1"u8.CopyTo(reply.AsSpan(4));
        kernel.Send(reply);
    }

    /// <summary>Prebuilt requests, so building them is not measured; a bounded set reused round-robin.</summary>
    private static byte[][] Requests(int count, Func<int, byte[]> build) => [.. Enumerable.Range(0, Math.Min(count, 4096)).Select(build)];

    private static KvpFigure Measure(Socket kernel, int daemonPid, byte[][] requests)
    {
        int count = Operations;
        byte[] reply = new byte[8192];
        for (int i = 0; i < 1000; i++)
        {
            RoundTrip(kernel, requests[i % requests.Length], reply);
        }
        var stats = new LatencyStats(count);
        long cpuBefore = KvpBenchmark.CpuNanoseconds(daemonPid);
        long selfBefore = KvpBenchmark.CpuNanoseconds(Environment.ProcessId);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            long t = Stopwatch.GetTimestamp();
            RoundTrip(kernel, requests[i % requests.Length], reply);
            stats.Add(Stopwatch.GetTimestamp() - t);
        }
        double elapsed = total.Elapsed.TotalSeconds;
        double cpu = (KvpBenchmark.CpuNanoseconds(daemonPid) - cpuBefore) / 1000.0 / count;
        double self = (KvpBenchmark.CpuNanoseconds(Environment.ProcessId) - selfBefore) / 1000.0 / count;
        return new KvpFigure(count / elapsed, stats.Percentile(50), stats.Percentile(99), cpu, self);
    }

    private static void RoundTrip(Socket kernel, byte[] request, byte[] reply)
    {
        kernel.Send(request);
        int n = kernel.Receive(reply);
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(reply);
        if (n != KvpHostConversion.MessageSize || (status != 0 && status != HvSCont))
        {
            throw new InvalidOperationException($"reply of {n} bytes with status 0x{status:X8}");
        }
    }
}
