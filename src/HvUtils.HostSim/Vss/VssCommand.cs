using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Session;

namespace HvUtils.HostSim.Vss;

/// <summary><c>hvsim ctl vss freeze|thaw|backup</c>: one host VSS request to the daemon.</summary>
public sealed class VssCommand : ISimCommand
{
    public string Name => "vss";

    public string Usage => "vss freeze|thaw|backup      one host VSS request (FREEZE, THAW, HOT_BACKUP)";

    public async Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        byte? op = args.Count == 1 ? args[0] switch
        {
            "freeze" => VssHost.OpFreeze,
            "thaw" => VssHost.OpThaw,
            "backup" or "hot-backup" => VssHost.OpHotBackup,
            _ => null,
        } : null;
        if (op is null)
        {
            await output.WriteLineAsync($"usage: {Usage}");
            return 2;
        }
        var host = new VssHost(simulator.Vss);
        try
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            VssReply reply = await host.RequestAsync(op.Value, cancellationToken);
            await output.WriteLineAsync($"{args[0]}: {reply} in {sw.Elapsed.TotalMilliseconds:0.###} ms");
            return reply.Succeeded ? 0 : 1;
        }
        catch (HostRequestException ex)
        {
            await output.WriteLineAsync($"{args[0]}: host answered HV_E_FAIL: {ex.Message}");
            return 1;
        }
    }
}
