using System.Diagnostics;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Demo;

/// <summary>Handshakes, readiness and recovery: what every channel gets from the runner.</summary>
public sealed class FoundationDemo : IDemoStep
{
    public string Title => "Start-up, handshakes and recovery";

    public async Task RunAsync(DemoSession s)
    {
        TimeSpan ready = s.Daemon.Notify.Lines.First(l => l.Line == "READY=1").At - s.Daemon.StartedAt;
        s.Say($"hvutilsd (pid {s.Daemon.Pid}) told the service manager READY=1 after {ready.TotalMilliseconds:0} ms.");
        await s.Simulator.WaitForAllRegisteredAsync(TimeSpan.FromSeconds(10));
        s.Say($"KVP registered with opcode 100 and got the kernel's version \"{KvpDevice.KernelVersion}\".");
        s.Say("VSS registered with opcode 129 and got 129 back; FCOPY registered with version 1.");
        string status = s.Daemon.Notify.Lines.Last(l => l.Line.StartsWith("STATUS=", StringComparison.Ordinal)).Line;
        s.Say($"Its status line: {status["STATUS=".Length..]}");

        var sw = Stopwatch.StartNew();
        int before = s.Simulator.Kvp.Registrations;
        s.Simulator.Kvp.DropConnection();
        while (s.Simulator.Kvp.Registrations == before)
        {
            await Task.Delay(5);
        }
        s.Say($"The host side dropped the KVP device; the daemon reopened it and registered again in {sw.ElapsedMilliseconds} ms.");
        s.Say("The other two channels were not touched: " +
            $"VSS {s.Simulator.Vss.State}, FCOPY {s.Simulator.Fcopy.State}.");
    }
}
