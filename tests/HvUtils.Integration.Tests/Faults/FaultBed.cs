using System.Security.Cryptography;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Fcopy;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// All three channels of the real hvutilsd against the simulator (VSS planner restricted to a
/// loop ext4, see <see cref="VssTestBed"/>), with one host per channel and the checks every
/// fault test repeats: "this channel still serves", "the others kept serving", "re-registered
/// within 1 s", "no fd or thread leaked".
/// </summary>
public sealed class FaultBed : IAsyncDisposable
{
    /// <summary>The bound on reconnecting after a fault (issue 9 point 2).</summary>
    public static readonly TimeSpan Reregistration = TimeSpan.FromSeconds(1);

    /// <summary>Generous wait for anything else: the machine is shared and loaded.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private int _copies;
    private int _keys;

    private FaultBed(VssTestBed vss)
    {
        Vss = vss;
        Kvp = new KvpHost(vss.Simulator.Kvp);
        Fcopy = new LegacyFcopyLink(vss.Simulator.Fcopy);
        CopyDirectory = vss.Dir.Combine("copies");
        Directory.CreateDirectory(CopyDirectory);
    }

    public VssTestBed Vss { get; }

    public KvpHost Kvp { get; }

    public LegacyFcopyLink Fcopy { get; }

    public string CopyDirectory { get; }

    /// <summary>Every re-registration delay checked so far, for the test output.</summary>
    public List<TimeSpan> ReregistrationDelays { get; } = [];

    private readonly List<string> _delayLog = [];

    /// <summary>Each delay with its channel, in order.</summary>
    public string DelayLog => string.Join(' ', _delayLog);

    public string DelaySummary => ReregistrationDelays.Count == 0 ? "no re-registrations" :
        $"{ReregistrationDelays.Count} re-registrations: median {ReregistrationDelays.Order().ElementAt(ReregistrationDelays.Count / 2).TotalMilliseconds:0.0} ms, max {ReregistrationDelays.Max().TotalMilliseconds:0.0} ms";

    public int Pid => Vss.Daemon!.Pid;

    public static async Task<FaultBed> StartAsync(params string[] extraArguments)
    {
        var bed = new FaultBed(await VssTestBed.StartAsync(["--Fcopy:Transport=legacy", .. extraArguments]));
        await bed.Vss.Simulator.WaitForAllRegisteredAsync(Patience);
        return bed;
    }

    public SimulatedDevice Device(string name) => Vss.Simulator.Devices.Single(d => d.Name == name);

    /// <summary>One successful transaction on <paramref name="name"/>, checked end to end.</summary>
    public async Task ServeAsync(string name)
    {
        switch (name)
        {
            case "kvp":
                string key = $"k{Interlocked.Increment(ref _keys)}";
                Assert.True((await Kvp.SetAsync(0, key, "v-" + key)).Ok);
                Assert.Equal("v-" + key, (await Kvp.GetAsync(0, key)).Value);
                break;
            case "vss":
                Assert.True((await Vss.Host.HotBackupAsync()).Succeeded, Vss.DaemonLog);
                break;
            default:
                string file = $"c{Interlocked.Increment(ref _copies)}";
                byte[] data = RandomNumberGenerator.GetBytes(7000);
                using (var source = new MemoryStream(data))
                {
                    FcopyResult r = await FcopyHost.CopyAsync(Fcopy, source, data.Length, CopyDirectory, file, 0);
                    Assert.True(r.Succeeded, r.ToString());
                }
                Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(CopyDirectory, file)));
                break;
        }
    }

    /// <summary>Serves one transaction on every channel but <paramref name="faulted"/>.</summary>
    public async Task ServeOthersAsync(string faulted)
    {
        foreach (SimulatedDevice d in Vss.Simulator.Devices.Where(d => d.Name != faulted))
        {
            await ServeAsync(d.Name);
        }
    }

    /// <summary>Waits for the re-registration after a close and checks it came within 1 s of the close.</summary>
    public async Task AssertReregisteredAsync(SimulatedDevice device, int registrationsBefore)
    {
        await WaitUntilAsync(() => device.Registrations > registrationsBefore && device.State == DeviceState.Ready, $"{device.Name} re-registered");
        TimeSpan? delay = device.LastReregistrationDelay;
        Assert.NotNull(delay);
        ReregistrationDelays.Add(delay.Value);
        _delayLog.Add($"{device.Name}:{delay.Value.TotalMilliseconds:0}");
        Assert.True(delay < Reregistration, $"{device.Name} re-registered {delay?.TotalMilliseconds:0} ms after the close");
    }

    /// <summary>The daemon's open descriptors and threads right now.</summary>
    public (int Fds, int Threads) Resources() => (ProcessResources.OpenFds(Pid), ProcessResources.Threads(Pid));

    /// <summary>
    /// Waits for the daemon to settle back to <paramref name="baseline"/>: descriptors exactly
    /// (each fault must give back what it took), threads within the runtime's own slack (the
    /// thread pool grows and shrinks on its own; a leak per fault would exceed it).
    /// </summary>
    public async Task AssertNoLeakAsync((int Fds, int Threads) baseline, int faults)
    {
        const int threadSlack = 3;
        DateTime deadline = DateTime.UtcNow + Patience;
        (int fds, int threads) = Resources();
        while ((fds > baseline.Fds || threads > baseline.Threads + threadSlack) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            (fds, threads) = Resources();
        }
        Assert.True(fds <= baseline.Fds, $"{fds - baseline.Fds} descriptors leaked over {faults} faults ({baseline.Fds} -> {fds}): {string.Join(' ', FdTargets())}");
        Assert.True(threads <= baseline.Threads + threadSlack, $"threads grew from {baseline.Threads} to {threads} over {faults} faults");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(10);
        }
    }

    private IEnumerable<string> FdTargets()
    {
        foreach (string fd in Directory.GetFiles($"/proc/{Pid}/fd"))
        {
            string target;
            try
            {
                target = File.ResolveLinkTarget(fd, false)?.ToString() ?? "?";
            }
            catch (IOException)
            {
                target = "?";
            }
            yield return $"{Path.GetFileName(fd)}->{target}";
        }
    }

    public ValueTask DisposeAsync() => Vss.DisposeAsync();
}
