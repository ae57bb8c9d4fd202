using HvUtils.HostSim.Session;

namespace HvUtils.HostSim.Fcopy;

/// <summary><c>hvsim ctl fcopy send LOCAL DEST [--create-path] [--overwrite]</c>: the serving simulator copies over its legacy device.</summary>
public sealed class FcopySimCommand : ISimCommand
{
    public string Name => "fcopy";

    public string Usage => "fcopy send LOCAL DEST [--create-path] [--overwrite]   host-to-guest copy over hv_fcopy";

    public Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        string[] positional = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        if (positional.Length != 3 || positional[0] != "send")
        {
            output.WriteLine($"usage: {Usage}");
            return Task.FromResult(2);
        }
        var request = FcopySendRequest.Create(positional[1], positional[2], args.Contains("--create-path"), args.Contains("--overwrite"));
        return request.RunAsync(new LegacyFcopyLink(simulator.Fcopy), output, interactive: false, cancellationToken);
    }
}
