using HvUtils.Core.Interop;

namespace HvUtils.HostSim.Demo;

/// <summary>`hvsim demo`: the README's first command — the real daemon against the simulator, in plain words.</summary>
public static class DemoScript
{
    /// <summary>The steps in order; each service issue appends its own.</summary>
    public static IReadOnlyList<IDemoStep> Steps { get; } =
    [
        new FoundationDemo(),
        new HvUtils.HostSim.Kvp.KvpDemo(),
        new Vss.VssDemo(),
        new KvpIpDemo(),
        new HvUtils.HostSim.Fcopy.FcopyDemo(),
    ];

    public static async Task<int> RunAsync(TextWriter output)
    {
        output.WriteLine("HvUtils demo: the real hvutilsd against the Hyper-V host simulator (no Hyper-V needed).");
        DemoSession? session = null;
        try
        {
            session = await DemoSession.StartAsync(output, Steps);
            output.WriteLine($"Work directory: {session.WorkDirectory}");
            foreach (IDemoStep step in Steps)
            {
                output.WriteLine();
                output.WriteLine($"== {step.Title}");
                await step.RunAsync(session);
            }
            output.WriteLine();
            output.WriteLine("== Shutdown");
            int code = await session.Daemon.StopAsync(Native.SIGTERM);
            session.Say($"SIGTERM: hvutilsd exited with code {code}.");
            output.WriteLine();
            output.WriteLine(code == 0 ? "Demo finished: everything worked." : "Demo finished with errors.");
            return code == 0 ? 0 : 1;
        }
        catch (Exception ex)
        {
            output.WriteLine($"Demo failed: {ex.Message}");
            if (session is not null)
            {
                output.WriteLine("hvutilsd output:");
                foreach (string line in session.Daemon.Output)
                {
                    output.WriteLine($"  | {line}");
                }
            }
            return 1;
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }
}
