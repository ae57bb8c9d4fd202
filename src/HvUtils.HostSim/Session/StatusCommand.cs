namespace HvUtils.HostSim.Session;

/// <summary><c>hvsim status</c>: each simulated device's state and counters.</summary>
public sealed class StatusCommand : ISimCommand
{
    public string Name => "status";

    public string Usage => "status                      each device's state, openers and registrations";

    public Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var d in simulator.Devices)
        {
            output.WriteLine($"{d.Name,-6} {d.State,-13} path={d.Path} connections={d.Connections} registrations={d.Registrations} refused-openers={d.RefusedOpeners} refused-writes={d.RefusedWrites}");
        }
        return Task.FromResult(0);
    }
}
