using System.Net;
using System.Net.Sockets;
using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>
/// The real hvutilsd against the simulator, with its scrape endpoint on a free loopback port
/// (scrape cache 0, so each scrape is fresh), its control socket and pools in a temp dir.
/// </summary>
public sealed class MetricsDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private MetricsDaemon(TempDirectory dir, HostSimulator sim, DaemonProcess daemon, int port)
    {
        Dir = dir;
        Sim = sim;
        Daemon = daemon;
        Port = port;
    }

    public TempDirectory Dir { get; }

    public HostSimulator Sim { get; }

    public DaemonProcess Daemon { get; }

    public int Port { get; }

    public string ControlSocket => Dir.Combine("run", "control.sock");

    public static async Task<MetricsDaemon> StartAsync(IEnumerable<string>? extraArguments = null, int? port = null, bool waitRegistered = true)
    {
        var dir = new TempDirectory("hvutils-obs-");
        HostSimulator sim = HostSimulator.Create(dir.Combine("sim"));
        int p = port ?? FreePort();
        Directory.CreateDirectory(dir.Combine("pools"));
        string[] args =
        [
            .. sim.DaemonArguments(),
            $"--Runtime:Directory={dir.Combine("run")}",
            $"--Kvp:PoolDirectory={dir.Combine("pools")}",
            $"--Telemetry:Prometheus:Port={p}",
            "--Telemetry:Prometheus:ScrapeCacheDuration=00:00:00",
            .. extraArguments ?? [],
        ];
        DaemonProcess daemon = DaemonProcess.Start(dir.Path, args);
        var started = new MetricsDaemon(dir, sim, daemon, p);
        try
        {
            await daemon.WaitReadyAsync(Timeout);
            if (waitRegistered)
            {
                await sim.WaitForAllRegisteredAsync(Timeout);
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
        return started;
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Scrapes <c>/metrics</c> over real HTTP.</summary>
    public Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.FetchAsync($"http://127.0.0.1:{Port}/metrics");

    /// <summary>An all-zero KVP ENUMERATE (op 3) of pool 0: read-only whatever the KVP service does with it.</summary>
    public async Task SendKvpEnumerateAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] request = new byte[HostSim.Devices.KvpDevice.MessageSize];
            request[0] = 3;
            await Sim.Kvp.RequestAsync(request, Timeout);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the daemon's output (log lines).</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (DateTime.UtcNow < deadline)
        {
            if (Daemon.Output.FirstOrDefault(condition) is { } line)
            {
                return line;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no matching daemon output; got:\n{string.Join('\n', Daemon.Output)}");
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        await Sim.DisposeAsync();
        Dir.Dispose();
    }
}
