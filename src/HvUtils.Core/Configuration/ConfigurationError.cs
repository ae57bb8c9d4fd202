using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>One invalid setting: the key (Section:Key), the value found and why it was refused.</summary>
public sealed record ConfigurationError(string Key, string Value, string Reason)
{
    public override string ToString() => $"invalid configuration: {Key} = \"{Value}\": {Reason}";
}

/// <summary>Start-up stops with this (exit code 78, EX_CONFIG).</summary>
public sealed class ConfigurationException(ConfigurationError error) : Exception(error.ToString())
{
    public const int ExitCode = 78;

    public ConfigurationError Error { get; } = error;
}

/// <summary>Turns binder and validator exceptions into <see cref="ConfigurationError"/>s that name the key.</summary>
public static partial class ConfigurationErrors
{
    /// <summary>Returns the errors behind <paramref name="ex"/>, or an empty list when it is not a configuration problem.</summary>
    public static IReadOnlyList<ConfigurationError> From(Exception ex, IConfiguration configuration, OptionsSections sections)
    {
        switch (ex)
        {
            case ConfigurationException c:
                return [c.Error];
            case OptionsValidationException v:
                string section = sections.SectionOf(v.OptionsType) ?? v.OptionsType.Name;
                return [.. v.Failures.Select(f => FromFailure(f, section, configuration))];
            case AggregateException a:
                return [.. a.InnerExceptions.SelectMany(e => From(e, configuration, sections))];
            case InvalidOperationException when ConvertFailure().Match(ex.Message) is { Success: true } m:
                string key = m.Groups["key"].Value;
                return [new ConfigurationError(key, configuration[key] ?? "", $"not a valid {FriendlyType(m.Groups["type"].Value)}")];
            default:
                return ex.InnerException is { } inner ? From(inner, configuration, sections) : [];
        }
    }

    private static ConfigurationError FromFailure(string failure, string section, IConfiguration configuration)
    {
        Match m = ValidatorFailure().Match(failure);
        if (!m.Success)
        {
            return new ConfigurationError(section, "", failure);
        }
        string key = ResolveKey(section, m.Groups["member"].Value.Replace('.', ':'), configuration);
        return new ConfigurationError(key, configuration[key] ?? "", m.Groups["error"].Value.TrimEnd('.'));
    }

    /// <summary>
    /// The generated validator names a nested member without its parent ("Port" for
    /// Telemetry:Prometheus:Port): find the configured key under the section that ends with it.
    /// </summary>
    private static string ResolveKey(string section, string member, IConfiguration configuration)
    {
        string direct = $"{section}:{member}";
        if (configuration[direct] is not null)
        {
            return direct;
        }
        string suffix = ":" + member;
        return configuration.GetSection(section).AsEnumerable()
            .Where(kv => kv.Value is not null && kv.Key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Key)
            .FirstOrDefault() ?? direct;
    }

    private static string FriendlyType(string type) => type switch
    {
        "System.TimeSpan" => "time span (hh:mm:ss)",
        "System.Boolean" => "boolean (true or false)",
        "System.Int32" or "System.Int64" or "System.UInt32" => "whole number",
        _ => type,
    };

    // Microsoft.Extensions.Configuration.Binder: "Failed to convert configuration value '…' at 'Kvp:LockTimeout' to type 'System.TimeSpan'."
    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConvertFailure();

    // The source-generated validator: "LockTimeout: reason" (older runtimes: "… members: 'LockTimeout' with the error: 'reason'.").
    [GeneratedRegex("^(?:(?<member>[A-Za-z_][\\w.]*): (?<error>.*)|.*members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?)$")]
    private static partial Regex ValidatorFailure();
}
