using System.Text;
using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Auto;

/// <summary>The AUTO pool's OS values, indexes 4–9 (spec/kvp.md §6), collected once at start-up.</summary>
public sealed record OsInfo(string BuildNumber, string Name, string MajorVersion, string MinorVersion, string Version, string Architecture)
{
    /// <summary>Reads <paramref name="osReleasePath"/> (legacy SuSE-release/redhat-release beside it) and uname(2).</summary>
    public static OsInfo Collect(string osReleasePath)
    {
        Native.Uname(out Native.UtsName uts);
        string? osRelease = TryRead(osReleasePath);
        string? legacy = null;
        if (osRelease is null)
        {
            string dir = Path.GetDirectoryName(osReleasePath) ?? "/etc";
            legacy = TryRead(Path.Combine(dir, "SuSE-release")) ?? TryRead(Path.Combine(dir, "redhat-release"));
        }
        return From(uts.SysName, uts.Release, uts.Machine, osRelease, legacy);
    }

    /// <summary>
    /// The derivations of §6: NAME/VERSION_ID from os-release (quotes and newlines deleted,
    /// backslash escapes the next character, '#' lines skipped, no trimming); else lines
    /// 1–3 of a legacy release file; else the kernel's sysname.
    /// </summary>
    public static OsInfo From(string sysName, string release, string machine, string? osRelease, string? legacyRelease)
    {
        string name = sysName, major = "", minor = "";
        if (osRelease is not null)
        {
            foreach (string raw in osRelease.Split('\n'))
            {
                string line = raw.Length > 511 ? raw[..511] : raw;
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (line.StartsWith('#') || eq < 0)
                {
                    continue;
                }
                string value = Unquote(line[(eq + 1)..]);
                switch (line[..eq])
                {
                    case "NAME":
                        name = value;
                        break;
                    case "VERSION_ID":
                        major = value;
                        break;
                }
            }
        }
        else if (legacyRelease is not null)
        {
            string[] lines = legacyRelease.Split('\n');
            name = lines.Length > 0 ? lines[0] : name;
            major = lines.Length > 1 ? lines[1] : "";
            minor = lines.Length > 2 ? lines[2] : "";
        }
        int dash = release.IndexOf('-', StringComparison.Ordinal);
        return new OsInfo(release, name, major, minor, dash < 0 ? release : release[..dash], machine);
    }

    private static string Unquote(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                sb.Append(value[++i]);
            }
            else if (c is not ('\'' or '"' or '\n' or '\r'))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
