using System.CommandLine;

namespace HvUtils.Cli.Kvp;

/// <summary><c>hvutils kvp list|get|set|delete</c>: read and write pool files under the same locks as hvutilsd.</summary>
public static class KvpCommands
{
    public static Command Create(Option<string?> configOption)
    {
        var poolDir = new Option<string?>("--pool-dir") { Description = "Directory of the .kvp_pool_N files (default: Kvp:PoolDirectory from the configuration, /var/lib/hyperv).", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text.", Recursive = true };
        var pool = new Option<int>("--pool")
        {
            Description = "Pool number: 0 host→guest, 1 guest→host (default), 2 AUTO file, 3 host intrinsic, 4 internal.",
            DefaultValueFactory = _ => 1,
            Recursive = true,
        };
        var allPools = new Option<bool>("--all") { Description = "List every pool (0-4)." };
        var key = new Argument<string>("key") { Description = "The key (1-511 UTF-8 bytes)." };
        var value = new Argument<string>("value") { Description = "The value (at most 2047 UTF-8 bytes)." };

        KvpTool Tool(ParseResult p) => new(p.GetValue(configOption), p.GetValue(poolDir), p.GetValue(json), Console.Out, Console.Error);

        var list = new Command("list", "Print the records of a pool (or of every pool with --all).") { allPools };
        list.SetAction(p => Tool(p).List(p.GetValue(allPools) ? null : p.GetValue(pool)));
        var get = new Command("get", "Print the value of KEY (exit 1 when absent).") { key };
        get.SetAction(p => Tool(p).Get(p.GetValue(pool), p.GetValue(key)!));
        var set = new Command("set", "Add or replace KEY=VALUE in place (pool 1 is what the host reads with ENUMERATE).") { key, value };
        set.SetAction(p => Tool(p).Set(p.GetValue(pool), p.GetValue(key)!, p.GetValue(value)!));
        var delete = new Command("delete", "Remove KEY (exit 1 when absent).") { key };
        delete.SetAction(p => Tool(p).Delete(p.GetValue(pool), p.GetValue(key)!));

        return new Command("kvp", "Read and write KVP pool files, locked like hvutilsd, the C daemon and cloud-init. " +
            "Exit codes: 0 ok, 1 key not found, 2 invalid input, 3 pool file missing, 4 locked past Kvp:LockTimeout, 5 I/O error or damaged file.")
        {
            poolDir, json, pool, list, get, set, delete,
        };
    }
}
