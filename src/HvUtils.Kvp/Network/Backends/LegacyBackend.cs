namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// <c>legacy</c>: the C daemon's contract (kvp.md §8.3, §9) — <c>ifcfg-&lt;if&gt;</c> and
/// <c>&lt;if&gt;.nmconnection</c> in the pool directory, then
/// <c>hv_set_ifconfig &lt;ifcfg path&gt; &lt;keyfile path&gt;</c> run directly (no shell). Drop-in compatible with
/// the distro scripts; without them the script HvUtils ships (deploy/scripts/hv_set_ifconfig, installed in
/// <c>BundledScriptsDirectory</c>) is used.
/// </summary>
public sealed class LegacyBackend(string stateDirectory, string setIfconfig, CommandRunner runner) : FileBackend(runner)
{
    public override string Name => "legacy";

    public override IpConfigurationResult Apply(IpSettings settings)
    {
        string ifcfg = Path.Combine(stateDirectory, "ifcfg-" + settings.InterfaceName);
        string keyfile = Path.Combine(stateDirectory, settings.InterfaceName + ".nmconnection");
        if (!File.Exists(setIfconfig))
        {
            return Failed($"{setIfconfig} does not exist");
        }
        return WriteThenRun($"{ifcfg}, {keyfile}, ran {setIfconfig}",
            [(ifcfg, LegacyFiles.Ifcfg(settings), Mode0644), (keyfile, LegacyFiles.Keyfile(settings), Mode0644)],
            (setIfconfig, [ifcfg, keyfile]));
    }
}
