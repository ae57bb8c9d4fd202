using System.ComponentModel.DataAnnotations;
using HvUtils.Core.Configuration;
using Microsoft.Extensions.Options;

namespace HvUtils.Vss;

/// <summary>The <c>Vss</c> configuration section (design.md configuration table).</summary>
public sealed class VssOptions
{
    public const string Section = "Vss";

    public bool Enabled { get; set; } = true;

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string DevicePath { get; set; } = "/dev/vmbus/hv_vss";

    [Required(AllowEmptyStrings = false)]
    public string MountInfoPath { get; set; } = "/proc/self/mountinfo";

    [Required(AllowEmptyStrings = false)]
    public string SysfsBlockPath { get; set; } = "/sys/dev/block";

    public string[] Include { get; set; } = [];

    public string[] Exclude { get; set; } = [];

    [Required(AllowEmptyStrings = false)]
    public string HooksDirectory { get; set; } = "/etc/hvutils/freeze.d";

    [TimeSpanRange("00:00:00.001", "00:14:00", ErrorMessage = "must be between 1 ms and 14 minutes")]
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromMinutes(1);

    [TimeSpanRange("00:00:00.010", "00:14:30", ErrorMessage = "must be between 10 ms and 14 min 30 s (below the kernel's 15-minute freeze timeout)")]
    public TimeSpan FreezeDeadline { get; set; } = TimeSpan.FromMinutes(10);
}

[OptionsValidator]
public sealed partial class VssOptionsValidator : IValidateOptions<VssOptions>;
