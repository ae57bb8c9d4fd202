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

    /// <summary>Owner (uid) given to copied files; -1 keeps the daemon's own.</summary>
    [Range(-1, int.MaxValue)]
    public int FileOwner { get; set; } = -1;

    /// <summary>Group (gid) given to copied files; -1 keeps the daemon's own.</summary>
    [Range(-1, int.MaxValue)]
    public int FileGroup { get; set; } = -1;

    /// <summary>
    /// Kernels ≥ 6.10 hand the fcopy channel to user space only once <c>uio_hv_generic</c> is told the
    /// class GUID (spec/fcopy.md B.1). True: the daemon writes it to
    /// <c>{SysfsRoot}/bus/vmbus/drivers/uio_hv_generic/new_id</c> itself when no bound device is found.
    /// Off by default: binding is the distribution's choice (udev rule or unit).
    /// </summary>
    public bool AutoBindUio { get; set; }

    /// <summary>
    /// Where the UIO ring pair is mapped from; empty (the default) maps the <c>/dev/uioN</c> node
    /// itself, as on a real kernel. The simulator keeps the rings in a plain file.
    /// </summary>
    public string UioRingPath { get; set; } = "";
}

[OptionsValidator]
public sealed partial class FcopyOptionsValidator : IValidateOptions<FcopyOptions>;
