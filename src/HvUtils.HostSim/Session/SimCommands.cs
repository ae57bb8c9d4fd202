namespace HvUtils.HostSim.Session;

/// <summary>The commands a serving simulator understands; each service issue adds its own.</summary>
public static class SimCommands
{
    public static IReadOnlyList<ISimCommand> All { get; } =
    [
        new StatusCommand(),
        new HvUtils.HostSim.Kvp.KvpSimCommand(),
        new Vss.VssCommand(),
        new HvUtils.HostSim.Fcopy.FcopySimCommand(),
        new KvpIpCommand(),
    ];

    public static ISimCommand? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
