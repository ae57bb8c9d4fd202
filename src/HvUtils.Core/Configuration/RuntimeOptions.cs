using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>The <c>Runtime</c> section: where the freeze marker and the control socket live.</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^/.*", ErrorMessage = "must be an absolute path")]
    public string Directory { get; set; } = "/run/hvutils";
}

[OptionsValidator]
public sealed partial class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>;
