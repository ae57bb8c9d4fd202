using HvUtils.HostSim;
using HvUtils.HostSim.Daemon;
using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>hvutilsd started against <paramref name="sim"/> with its state kept inside <paramref name="dir"/>.</summary>
public static class SimulatedDaemon
{
    public static DaemonProcess Start(TempDirectory dir, HostSimulator sim, IEnumerable<string> settings, IReadOnlyDictionary<string, string>? environment = null, string? binary = null) =>
        DaemonProcess.Start(dir.Path,
        [
            .. sim.DaemonArguments(),
            $"--Runtime:Directory={dir.Combine("run")}",
            $"--Kvp:PoolDirectory={dir.Combine("pools")}",
            .. settings,
        ], environment, binary);
}
