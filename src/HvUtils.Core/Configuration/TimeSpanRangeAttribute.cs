using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace HvUtils.Core.Configuration;

/// <summary>
/// A TimeSpan range check that is trimming-safe (<c>[Range(typeof(TimeSpan), …)]</c> needs
/// reflection-based type converters, which NativeAOT cannot keep).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is TimeSpan t && t >= Minimum && t <= Maximum;

    public override string FormatErrorMessage(string name) =>
        ErrorMessage ?? $"must be between {Minimum:c} and {Maximum:c}";
}
