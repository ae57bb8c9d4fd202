using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>The <c>Runtime</c> section: where the freeze marker and the control socket live, and the start-up memory trim.</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string Directory { get; set; } = "/run/hvutils";

    /// <summary>
    /// How long after READY the start-up memory is handed back to the kernel (Hosting/StartupMemoryTrim.cs);
    /// 00:00:00 turns the trim off. Read at start.
    /// </summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan TrimMemoryAfter { get; set; } = TimeSpan.FromSeconds(3);
}

[OptionsValidator]
public sealed partial class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>;
