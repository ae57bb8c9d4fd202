using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Kvp;

/// <summary>
/// The real hvutilsd with only its KVP channel, against a simulated <c>hv_kvp</c> in a work
/// directory (pools under <c>{dir}/pools</c>): what the integration tests and the KVP
/// benchmark drive.
/// </summary>
public sealed class KvpSession : IAsyncDisposable
{
    private KvpSession(string directory, HostSimulator simulator, DaemonProcess daemon)
    {
        Directory = directory;
        Simulator = simulator;
        Daemon = daemon;
        Host = new KvpHost(simulator.Kvp);
    }

    public string Directory { get; }

    public string PoolDirectory => Path.Combine(Directory, "pools");

    public HostSimulator Simulator { get; }

    public DaemonProcess Daemon { get; }

    public KvpHost Host { get; }

    /// <summary><c>$HVUTILS_PATH</c>, else <c>hvutils</c> beside the daemon binary in use, else the CLI's build output.</summary>
    public static string HvutilsBinary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("HVUTILS_PATH") is { Length: > 0 } p)
            {
                return p;
            }
            string beside = Path.Combine(Path.GetDirectoryName(DaemonProcess.DefaultBinary)!, "hvutils");
            string? built = typeof(DaemonProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "HvutilsdPath")?.Value;
            return File.Exists(beside) || built is null
                ? beside
                : Path.Combine(Path.GetDirectoryName(built.Replace("HvUtils.Daemon", "HvUtils.Cli", StringComparison.Ordinal))!, "hvutils");
        }
    }

    public string PoolFile(int pool) => Path.Combine(PoolDirectory, $".kvp_pool_{pool}");

    public static async Task<KvpSession> StartAsync(string directory, IEnumerable<string>? extraArguments = null)
    {
        HostSimulator sim = HostSimulator.Create(Path.Combine(directory, "dev"), start: false);
        sim.Kvp.Start();
        DaemonProcess daemon = DaemonProcess.Start(directory,
        [
            .. sim.DaemonArguments(),
            "--Vss:Enabled=false",
            "--Fcopy:Enabled=false",
            $"--Runtime:Directory={Path.Combine(directory, "run")}",
            $"--Kvp:PoolDirectory={Path.Combine(directory, "pools")}",
            "--Telemetry:Prometheus:Enabled=false",
            .. extraArguments ?? [],
        ]);
        var session = new KvpSession(directory, sim, daemon);
        try
        {
            await daemon.WaitReadyAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await sim.Kvp.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync().ConfigureAwait(false);
        await Simulator.DisposeAsync().ConfigureAwait(false);
    }
}
