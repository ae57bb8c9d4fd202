using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HvUtils.Fcopy;

/// <summary>The <c>Fcopy</c> configuration section (design.md configuration table).</summary>
public sealed class FcopyOptions
{
    public const string Section = "Fcopy";

    public bool Enabled { get; set; } = true;

    [RegularExpression("^(auto|legacy|uio)$", ErrorMessage = "must be auto, legacy or uio")]
    public string Transport { get; set; } = "auto";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string DevicePath { get; set; } = "/dev/vmbus/hv_fcopy";

    [Required(AllowEmptyStrings = false)]
    public string SysfsRoot { get; set; } = "/sys";

    [Required(AllowEmptyStrings = false)]
    public string DevRoot { get; set; } = "/dev";

    /// <summary>Directories copies may land under; empty means any absolute path.</summary>
    public string[] AllowedRoots { get; set; } = [];

    [RegularExpression("^0?[0-7]{3}$", ErrorMessage = "must be an octal file mode such as 0644")]
    public string FileMode { get; set; } = "0644";

    public bool AutoBindUio { get; set; }
}

[OptionsValidator]
public sealed partial class FcopyOptionsValidator : IValidateOptions<FcopyOptions>;
