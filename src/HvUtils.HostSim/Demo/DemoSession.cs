using HvUtils.HostSim.Daemon;

namespace HvUtils.HostSim.Demo;

/// <summary>A temp directory, the simulator and the real hvutilsd process against it.</summary>
public sealed class DemoSession : IAsyncDisposable
{
    private DemoSession(string workDirectory, HostSimulator simulator, TextWriter output)
    {
        WorkDirectory = workDirectory;
        Simulator = simulator;
        Output = output;
    }

    public string WorkDirectory { get; }

    public HostSimulator Simulator { get; }

    public DaemonProcess Daemon { get; private set; } = null!;

    public TextWriter Output { get; }

    public static async Task<DemoSession> StartAsync(TextWriter output, IEnumerable<IDemoStep> steps)
    {
        string work = Directory.CreateTempSubdirectory("hvutils-demo-").FullName;
        var session = new DemoSession(work, HostSimulator.Create(Path.Combine(work, "dev")), output);
        var args = new List<string>(session.Simulator.DaemonArguments())
        {
            $"--Runtime:Directory={Path.Combine(work, "run")}",
            $"--Kvp:PoolDirectory={Path.Combine(work, "pools")}",
            "--Telemetry:Prometheus:Enabled=false",
        };
        foreach (IDemoStep step in steps)
        {
            args.AddRange(step.DaemonArguments(work));
        }
        session.Daemon = DaemonProcess.Start(work, args);
        await session.Daemon.WaitReadyAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return session;
    }

    public void Say(string line) => Output.WriteLine($"  {line}");

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync().ConfigureAwait(false);
        await Simulator.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
