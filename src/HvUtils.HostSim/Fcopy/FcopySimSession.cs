using HvUtils.HostSim.Daemon;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Fcopy;

/// <summary>
/// A private fcopy setup: the host side of one transport (legacy device or UIO host) in a temp
/// directory and a real hvutilsd running only its FCOPY channel against it. Used by
/// <c>hvsim fcopy send</c> (when no serving simulator is named), the demo's UIO step, tests and benchmarks.
/// </summary>
public sealed class FcopySimSession : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private FcopySimSession(string workDirectory, bool ownsDirectory, string transport)
    {
        WorkDirectory = workDirectory;
        _ownsDirectory = ownsDirectory;
        Transport = transport;
    }

    public string WorkDirectory { get; }

    public string Transport { get; }

    public DaemonProcess Daemon { get; private set; } = null!;

    public FcopyDevice? Legacy { get; private set; }

    public UioHost? Uio { get; private set; }

    public IFcopyHostLink Link { get; private set; } = null!;

    /// <summary>Where the daemon records a named temp file (its Runtime:Directory).</summary>
    public string RuntimeDirectory => Path.Combine(WorkDirectory, "run");

    /// <summary>Starts the host side for <paramref name="transport"/> ("legacy" or "uio") and hvutilsd, and waits until the channel is up.</summary>
    public static async Task<FcopySimSession> StartAsync(string transport, string? workDirectory = null, IEnumerable<string>? daemonArguments = null, int ringSize = 16384)
    {
        bool owns = workDirectory is null;
        string work = workDirectory ?? Directory.CreateTempSubdirectory("hvutils-fcopy-").FullName;
        var s = new FcopySimSession(work, owns, transport);
        var args = new List<string>
        {
            "--Kvp:Enabled=false",
            "--Vss:Enabled=false",
            $"--Runtime:Directory={s.RuntimeDirectory}",
            "--Telemetry:Prometheus:Enabled=false",
        };
        try
        {
            if (transport == "uio")
            {
                s.Uio = UioHost.Create(Path.Combine(work, "uio"), ringSize);
                s.Link = new UioFcopyLink(s.Uio);
                args.AddRange(s.Uio.DaemonArguments());
            }
            else
            {
                s.Legacy = new FcopyDevice(Path.Combine(work, "dev", "vmbus", "hv_fcopy"));
                s.Legacy.Start();
                s.Link = new LegacyFcopyLink(s.Legacy);
                args.Add("--Fcopy:Transport=legacy");
                args.Add($"--Fcopy:DevicePath={s.Legacy.Path}");
            }
            args.AddRange(daemonArguments ?? []);
            s.Daemon = DaemonProcess.Start(work, args);
            await s.Daemon.WaitReadyAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await s.WaitChannelAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            return s;
        }
        catch
        {
            await s.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the daemon has the device open and registered (legacy) or negotiated (UIO).</summary>
    public Task WaitChannelAsync(TimeSpan timeout) =>
        Uio is not null ? Uio.WaitConnectedAsync(timeout) : Legacy!.WaitForStateAsync(DeviceState.Ready, timeout);

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync().ConfigureAwait(false);
        }
        if (Uio is not null)
        {
            await Uio.DisposeAsync().ConfigureAwait(false);
        }
        if (Legacy is not null)
        {
            await Legacy.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
