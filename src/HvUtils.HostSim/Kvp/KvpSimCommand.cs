using System.Globalization;
using HvUtils.HostSim.Session;

namespace HvUtils.HostSim.Kvp;

/// <summary><c>hvsim ctl kvp set|get|delete|enum POOL …</c>: host-side KVP requests against the running daemon.</summary>
public sealed class KvpSimCommand : ISimCommand
{
    public string Name => "kvp";

    public string Usage => "kvp set POOL KEY VALUE [u32|u64] | get POOL KEY | delete POOL KEY | enum POOL";

    public async Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pool))
        {
            output.WriteLine($"usage: {Usage}");
            return 2;
        }
        var host = new KvpHost(simulator.Kvp);
        switch (args[0])
        {
            case "set" when args.Count is 4 or 5:
                KvpHostResult set = args.Count == 5
                    ? await host.SetNumberAsync(pool, args[2], ulong.Parse(args[3], CultureInfo.InvariantCulture), args[4] == "u64", cancellationToken)
                    : await host.SetAsync(pool, args[2], args[3], cancellationToken);
                return Report(output, set, $"set {args[2]} in pool {pool}");
            case "get" when args.Count == 3:
                KvpHostResult get = await host.GetAsync(pool, args[2], cancellationToken);
                if (get.Ok)
                {
                    output.WriteLine(get.Value);
                    return 0;
                }
                return Report(output, get, $"get {args[2]} from pool {pool}");
            case "delete" when args.Count == 3:
                return Report(output, await host.DeleteAsync(pool, args[2], cancellationToken), $"delete {args[2]} from pool {pool}");
            case "enum" when args.Count == 2:
                (IReadOnlyList<KeyValuePair<string, string>> records, uint end) = await host.EnumerateAllAsync(pool, cancellationToken);
                foreach (KeyValuePair<string, string> r in records)
                {
                    output.WriteLine($"{r.Key}={r.Value}");
                }
                output.WriteLine($"({records.Count} records; ended with status 0x{end:X8}{(end == KvpHostResult.S_CONT ? " HV_S_CONT, the normal end" : "")})");
                return end == KvpHostResult.S_CONT ? 0 : 1;
            default:
                output.WriteLine($"usage: {Usage}");
                return 2;
        }
    }

    private static int Report(TextWriter output, KvpHostResult r, string what)
    {
        output.WriteLine(r.Ok ? $"ok: {what}" : $"failed: {what}: status 0x{r.Status:X8}{(r.Failure is null ? "" : $" ({r.Failure})")}");
        return r.Ok ? 0 : 1;
    }
}
