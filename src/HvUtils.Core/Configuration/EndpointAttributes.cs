using System.ComponentModel.DataAnnotations;

namespace HvUtils.Core.Configuration;

/// <summary>An IP address or a DNS host name, checked before any listener is started (stack.md: exporter settings are read before options validation).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HostNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string s || s.Length == 0 || Uri.CheckHostName(s) is UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Dns;

    public override string FormatErrorMessage(string name) => ErrorMessage ?? "must be an IP address or a host name";
}

/// <summary>Empty, or an absolute http:// or https:// URI.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUriAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string s || s.Length == 0
        || (Uri.TryCreate(s, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    public override string FormatErrorMessage(string name) => ErrorMessage ?? "must be an absolute http:// or https:// URI";
}
