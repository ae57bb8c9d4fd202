namespace HvUtils.HostSim.Demo;

/// <summary>One part of the demo's scripted host session; each service adds its own.</summary>
public interface IDemoStep
{
    string Title { get; }

    /// <summary>Extra hvutilsd settings this step needs (paths under the demo's work directory).</summary>
    IEnumerable<string> DaemonArguments(string workDirectory) => [];

    Task RunAsync(DemoSession session);
}
