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

    /// <summary>What FREEZE does when a filesystem is already frozen by someone else (FIFREEZE fails with EBUSY).</summary>
    public AlreadyFrozenPolicy AlreadyFrozen { get; set; } = AlreadyFrozenPolicy.Adopt;

    /// <summary>When true a failing, timed-out or refused freeze hook is logged but does not abort the freeze.</summary>
    public bool HooksBestEffort { get; set; }

    /// <summary>Longest pause between retries of a thaw that failed (the retries start at 100 ms and double).</summary>
    [TimeSpanRange("00:00:00.100", "00:10:00", ErrorMessage = "must be between 100 ms and 10 minutes")]
    public TimeSpan ThawRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Vss:AlreadyFrozen — a filesystem someone else froze before our FIFREEZE (EBUSY, spec/vss.md §5.3).</summary>
public enum AlreadyFrozenPolicy
{
    /// <summary>Count it as frozen by us and thaw it on THAW (the C daemon's behaviour).</summary>
    Adopt,

    /// <summary>Count it as success but leave it to whoever froze it: not thawed on THAW.</summary>
    Leave,

    /// <summary>Fail the FREEZE (after thawing what we froze).</summary>
    Fail,
}

[OptionsValidator]
public sealed partial class VssOptionsValidator : IValidateOptions<VssOptions>;
