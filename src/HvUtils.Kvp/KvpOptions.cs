using System.ComponentModel.DataAnnotations;
using HvUtils.Core.Configuration;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp;

/// <summary>The <c>Kvp</c> configuration section (design.md configuration table).</summary>
public sealed class KvpOptions
{
    public const string Section = "Kvp";

    public bool Enabled { get; set; } = true;

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string DevicePath { get; set; } = "/dev/vmbus/hv_kvp";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string PoolDirectory { get; set; } = "/var/lib/hyperv";

    [TimeSpanRange("00:00:00.001", "00:00:25", ErrorMessage = "must be between 1 ms and 25 s (the kernel gives a request 30 s)")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 10_000_000, ErrorMessage = "must be between 1 and 10000000")]
    public int MaxRecordsPerPool { get; set; } = 65536;

    [Required(AllowEmptyStrings = false)]
    public string OsReleasePath { get; set; } = "/etc/os-release";

    /// <summary>Watched for POLLPRI to refresh FullyQualifiedDomainName when the host name changes.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string HostNamePath { get; set; } = "/proc/sys/kernel/hostname";

    [ValidateObjectMembers]
    public KvpNetworkOptions Network { get; set; } = new();
}

/// <summary>The <c>Kvp:Network</c> section: where IP information comes from and how SET_IP_INFO is applied.</summary>
public sealed class KvpNetworkOptions
{
    [RegularExpression("^(auto|legacy|networkmanager|networkd|netplan|dry-run)$", ErrorMessage = "must be one of auto, legacy, networkmanager, networkd, netplan, dry-run")]
    public string Backend { get; set; } = "auto";

    [Required(AllowEmptyStrings = false)]
    public string ScriptsDirectory { get; set; } = "/usr/libexec/hypervkvpd";

    public bool UseHelperScripts { get; set; }

    [Required(AllowEmptyStrings = false)]
    public string SysfsNetPath { get; set; } = "/sys/class/net";

    // Issue 4 (GET/SET_IP_INFO, kvp.md §7–9): sources, backend targets and apply commands; every path
    // is configurable so tests run against temp directories and network namespaces.

    /// <summary>Directory holding <c>route</c> and <c>ipv6_route</c> (default routes → gate_way, kvp.md §7).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ProcNetPath { get; set; } = "/proc/net";

    [Required(AllowEmptyStrings = false)]
    public string ResolvConfPath { get; set; } = "/etc/resolv.conf";

    /// <summary>systemd-resolved's runtime directory (<c>netif/&lt;ifindex&gt;</c>, <c>resolv.conf</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ResolvedRunDirectory { get; set; } = "/run/systemd/resolve";

    /// <summary>systemd-networkd's runtime directory (<c>links/&lt;ifindex&gt;</c>, <c>leases/&lt;ifindex&gt;</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string NetworkdRunDirectory { get; set; } = "/run/systemd/netif";

    [Required(AllowEmptyStrings = false)]
    public string NetworkManagerRunDirectory { get; set; } = "/run/NetworkManager";

    /// <summary>NetworkManager's state directory (internal DHCP client lease files).</summary>
    [Required(AllowEmptyStrings = false)]
    public string NetworkManagerStateDirectory { get; set; } = "/var/lib/NetworkManager";

    /// <summary>
    /// dhclient lease directories (Debian /var/lib/dhcp, RHEL /var/lib/dhclient; set in appsettings.json
    /// because the binder appends to, rather than replaces, a default array). Empty = not consulted.
    /// </summary>
    public string[] DhclientLeaseDirectories { get; set; } = [];

    /// <summary>The legacy backend's hv_set_ifconfig; empty = <c>ScriptsDirectory/hv_set_ifconfig</c> (kvp.md §9).</summary>
    public string SetIfconfigPath { get; set; } = "";

    /// <summary>Where the HvUtils package installs its own hv_set_ifconfig (used by <c>legacy</c> when the distro has none).</summary>
    [Required(AllowEmptyStrings = false)]
    public string BundledScriptsDirectory { get; set; } = "/usr/libexec/hvutils";

    [Required(AllowEmptyStrings = false)]
    public string NetworkManagerConnectionDirectory { get; set; } = "/etc/NetworkManager/system-connections";

    [Required(AllowEmptyStrings = false)]
    public string NetworkdConfigDirectory { get; set; } = "/etc/systemd/network";

    [Required(AllowEmptyStrings = false)]
    public string NetplanDirectory { get; set; } = "/etc/netplan";

    /// <summary>Apply commands of the backends (tests replace them with a recorder).</summary>
    [Required(AllowEmptyStrings = false)]
    public string NmcliPath { get; set; } = "/usr/bin/nmcli";

    [Required(AllowEmptyStrings = false)]
    public string NetworkctlPath { get; set; } = "/usr/bin/networkctl";

    [Required(AllowEmptyStrings = false)]
    public string NetplanPath { get; set; } = "/usr/sbin/netplan";

    /// <summary>Longest a helper script or apply command may run (the host waits about 30 s in total).</summary>
    [TimeSpanRange("00:00:00.100", "00:00:25", ErrorMessage = "must be between 100 ms and 25 s")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

[OptionsValidator]
public sealed partial class KvpOptionsValidator : IValidateOptions<KvpOptions>;
