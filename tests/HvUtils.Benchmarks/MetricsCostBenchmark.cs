using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Devices;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// KVP round trips through the simulator into the real daemon with metrics on (the Prometheus
/// endpoint listening, so every instrument records) and off (no exporter: no listener on the
/// meter, the instruments' Add/Record return at once). Runs alternate on/off; medians printed.
/// </summary>
public sealed class MetricsCostBenchmark : IBenchmark
{
    public string Name => "metrics-cost";

    public string Description => "KVP round trips/s with metrics on vs off (Prometheus listening vs no exporter) [runs=5] [requests=20000] [kvp-op=3]";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int requests = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000;
        byte op = args.Count > 2 ? byte.Parse(args[2], CultureInfo.InvariantCulture) : (byte)3;
        output.WriteLine($"binary: {DaemonProcess.DefaultBinary}; KVP op {op}, pool 0; {requests} sequential requests per run");
        var results = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (int i = 0; i < runs; i++)
        {
            foreach (bool on in new[] { true, false })
            {
                (double opsPerSecond, string summary) = await RunOnceAsync(on, requests, op);
                results[on].Add(opsPerSecond);
                output.WriteLine($"run {i + 1} metrics {(on ? "on " : "off")}: {summary}");
            }
        }
        double medianOn = Median(results[true]), medianOff = Median(results[false]);
        output.WriteLine($"median of {runs}: on {medianOn:N0} ops/s, off {medianOff:N0} ops/s, cost {(1 - medianOn / medianOff) * 100:+0.0;-0.0} %");
    }

    private static async Task<(double, string)> RunOnceAsync(bool metricsOn, int requests, byte op)
    {
        using var dir = new TempDirectory();
        await using HostSimulator sim = HostSimulator.Create(dir.Combine("dev"));
        Directory.CreateDirectory(dir.Combine("pools"));
        await using DaemonProcess daemon = DaemonProcess.Start(dir.Path,
        [
            .. sim.DaemonArguments(),
            $"--Runtime:Directory={dir.Combine("run")}",
            $"--Kvp:PoolDirectory={dir.Combine("pools")}",
            "--Telemetry:Otlp:Enabled=false",
            metricsOn ? $"--Telemetry:Prometheus:Port={FreePort()}" : "--Telemetry:Prometheus:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30));
        await sim.WaitForAllRegisteredAsync(TimeSpan.FromSeconds(10));
        byte[] request = new byte[KvpDevice.MessageSize];
        request[0] = op;
        for (int i = 0; i < Math.Min(2000, requests); i++)
        {
            await sim.Kvp.RequestAsync(request);
        }
        var stats = new LatencyStats(requests);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < requests; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await sim.Kvp.RequestAsync(request);
            stats.Add(Stopwatch.GetTimestamp() - start);
        }
        total.Stop();
        await daemon.StopAsync();
        return (requests / total.Elapsed.TotalSeconds, stats.Summary(total.Elapsed));
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
