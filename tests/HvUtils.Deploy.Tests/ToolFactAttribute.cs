using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// A fact that needs external programs (systemd-analyze, dpkg-deb, …). Skipped with a reason
/// when one is missing — except under CI=true, where it runs and fails, so a CI image that
/// lost a tool cannot pass silently.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = Tools.SkipReason(tools);
    }
}

/// <summary>
/// A fact for an optional checker (lintian): skipped whenever a tool is missing, also under
/// CI — the issue asks for these checks "where available".
/// </summary>
public sealed class OptionalToolFactAttribute : FactAttribute
{
    public OptionalToolFactAttribute(params string[] tools)
    {
        Skip = Tools.SkipReason(tools, mandatoryInCi: false);
    }
}

/// <summary>A <see cref="ToolFactAttribute"/> that also needs root (dpkg --root, namespaces).</summary>
public sealed class RootToolFactAttribute : FactAttribute
{
    public RootToolFactAttribute(params string[] tools)
    {
        Skip = Tools.SkipReason(tools) ?? RootRequirement.SkipReason("dpkg --root, namespaces");
    }
}

public static class Tools
{
    public static string? SkipReason(string[] tools, bool mandatoryInCi = true)
    {
        string[] missing = [.. tools.Where(t => Find(t) is null)];
        return missing.Length > 0 && !(mandatoryInCi && RootRequirement.IsCi) ? $"needs {string.Join(", ", missing)} on PATH" : null;
    }

    /// <summary>The full path of <paramref name="name"/> on PATH (plus the sbin directories), or null.</summary>
    public static string? Find(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string dir in path.Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            string candidate = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
