namespace HvUtils.HostSim.Session;

/// <summary>
/// A host-side action a running simulator (<c>hvsim serve</c>) performs on request from
/// another <c>hvsim</c> process: the first word of the request picks the command
/// ("status", "kvp", "vss", "fcopy"); each service adds its own.
/// </summary>
public interface ISimCommand
{
    string Name { get; }

    string Usage { get; }

    Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken);
}
