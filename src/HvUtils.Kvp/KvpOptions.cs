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
}

[OptionsValidator]
public sealed partial class KvpOptionsValidator : IValidateOptions<KvpOptions>;
