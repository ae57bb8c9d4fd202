namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// Chooses the SET_IP_INFO backend from <c>Kvp:Network:Backend</c>. <c>auto</c> is decided per request
/// (the system can change under a running daemon), first rule that holds:
/// 1. the distro's <c>hv_set_ifconfig</c> exists (<c>SetIfconfigPath</c>, else <c>ScriptsDirectory</c>) → <c>legacy</c>;
/// 2. <c>NetplanDirectory</c> exists and <c>NetplanPath</c> exists → <c>netplan</c>;
/// 3. NetworkManager runs (<c>NetworkManagerRunDirectory</c> exists) and <c>NmcliPath</c> exists → <c>networkmanager</c>;
/// 4. systemd-networkd runs (<c>NetworkdRunDirectory/links</c> exists) and <c>NetworkctlPath</c> exists → <c>networkd</c>;
/// 5. otherwise none: the request fails with HV_E_FAIL (auto never falls back to dry-run, which would tell
///    the host a configuration was applied when it was not).
/// </summary>
public static class BackendSelector
{
    public static string? Detect(KvpOptions options)
    {
        KvpNetworkOptions n = options.Network;
        if (File.Exists(DistroSetIfconfig(n)))
        {
            return "legacy";
        }
        if (Directory.Exists(n.NetplanDirectory) && File.Exists(n.NetplanPath))
        {
            return "netplan";
        }
        if (Directory.Exists(n.NetworkManagerRunDirectory) && File.Exists(n.NmcliPath))
        {
            return "networkmanager";
        }
        if (Directory.Exists(Path.Combine(n.NetworkdRunDirectory, "links")) && File.Exists(n.NetworkctlPath))
        {
            return "networkd";
        }
        return null;
    }

    /// <summary>The backend for <paramref name="name"/> (a configured value other than auto, or a detected one).</summary>
    public static INetworkBackend Create(string name, KvpOptions options, CommandRunner runner, Microsoft.Extensions.Logging.ILogger logger)
    {
        KvpNetworkOptions n = options.Network;
        return name switch
        {
            "legacy" => new LegacyBackend(options.PoolDirectory, LegacySetIfconfig(n), runner),
            "networkmanager" => new NetworkManagerBackend(n.NetworkManagerConnectionDirectory, n.NmcliPath, runner),
            "networkd" => new NetworkdBackend(n.NetworkdConfigDirectory, n.NetworkctlPath, runner),
            "netplan" => new NetplanBackend(n.NetplanDirectory, n.NetplanPath, runner),
            "dry-run" => new DryRunBackend(logger),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown network backend"),
        };
    }

    private static string DistroSetIfconfig(KvpNetworkOptions n) =>
        n.SetIfconfigPath.Length > 0 ? n.SetIfconfigPath : Path.Combine(n.ScriptsDirectory, "hv_set_ifconfig");

    /// <summary>The distro's script when present, else the one HvUtils ships (deploy/scripts/hv_set_ifconfig).</summary>
    public static string LegacySetIfconfig(KvpNetworkOptions n)
    {
        string distro = DistroSetIfconfig(n);
        return n.SetIfconfigPath.Length > 0 || File.Exists(distro) ? distro : Path.Combine(n.BundledScriptsDirectory, "hv_set_ifconfig");
    }
}
