using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim;

/// <summary>
/// The host and kernel side of every device, as sockets under one directory
/// (<c>{dir}/vmbus/hv_kvp</c>, <c>hv_vss</c>, <c>hv_fcopy</c>). Point the daemon's
/// <c>DevicePath</c> settings at <see cref="SimulatedDevice.Path"/>.
/// </summary>
public sealed class HostSimulator : IAsyncDisposable
{
    private HostSimulator(string directory)
    {
        Directory = directory;
        Kvp = new KvpDevice(System.IO.Path.Combine(directory, "vmbus", "hv_kvp"));
        Vss = new VssDevice(System.IO.Path.Combine(directory, "vmbus", "hv_vss"));
        Fcopy = new FcopyDevice(System.IO.Path.Combine(directory, "vmbus", "hv_fcopy"));
    }

    public string Directory { get; }

    public KvpDevice Kvp { get; }

    public VssDevice Vss { get; }

    public FcopyDevice Fcopy { get; }

    public IEnumerable<SimulatedDevice> Devices => [Kvp, Vss, Fcopy];

    /// <summary>Creates the devices; <paramref name="start"/> false leaves them absent (start each later to test late devices).</summary>
    public static HostSimulator Create(string directory, bool start = true)
    {
        var sim = new HostSimulator(directory);
        if (start)
        {
            foreach (SimulatedDevice d in sim.Devices)
            {
                d.Start();
            }
        }
        return sim;
    }

    /// <summary>Waits until every started device has a registered daemon.</summary>
    public Task WaitForAllRegisteredAsync(TimeSpan timeout) =>
        Task.WhenAll(Devices.Select(d => d.WaitForStateAsync(DeviceState.Ready, timeout)));

    /// <summary>The command-line settings that point hvutilsd at these devices.</summary>
    public IEnumerable<string> DaemonArguments() =>
    [
        $"--Kvp:DevicePath={Kvp.Path}",
        $"--Vss:DevicePath={Vss.Path}",
        $"--Fcopy:DevicePath={Fcopy.Path}",
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (SimulatedDevice d in Devices)
        {
            await d.DisposeAsync().ConfigureAwait(false);
        }
    }
}
