using System.Text;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// Confinement of a START_FILE_COPY target (issue 6 point 1): the file name is one plain
/// component, the directory an absolute path without <c>..</c>, normalised, and inside one of
/// the allowed roots. The C daemons concatenate both unchecked (quirks.md: <c>../escape.txt</c>).
/// </summary>
public static class CopyTarget
{
    /// <summary>A file name is usable when it is non-empty valid UTF-8, has no <c>/</c> and is not <c>.</c> or <c>..</c>.</summary>
    public static string? ValidFileName(ReadOnlySpan<byte> utf8)
    {
        string? name = Decode(utf8);
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Contains('/'))
        {
            return null;
        }
        return name;
    }

    /// <summary>
    /// Splits an absolute directory path into its components, dropping empty and <c>.</c>
    /// ones; null when it is not absolute, contains <c>..</c> or is not valid UTF-8.
    /// </summary>
    public static string[]? DirectoryComponents(ReadOnlySpan<byte> utf8)
    {
        string? path = Decode(utf8);
        if (path is null || !path.StartsWith('/'))
        {
            return null;
        }
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                return null;
            }
            if (part != ".")
            {
                parts.Add(part);
            }
        }
        return [.. parts];
    }

    /// <summary>
    /// The longest allowed root (already canonical, see <see cref="FcopySettings"/>) that
    /// contains <paramref name="components"/>, and how many leading components it covers;
    /// null when none does.
    /// </summary>
    public static (string Root, int Covered)? FindRoot(string[] components, IReadOnlyList<string[]> roots)
    {
        (string, int)? best = null;
        foreach (string[] root in roots)
        {
            if (root.Length > components.Length || (best is { } b && root.Length <= b.Item2))
            {
                continue;
            }
            bool match = true;
            for (int i = 0; i < root.Length && match; i++)
            {
                match = root[i] == components[i];
            }
            if (match)
            {
                best = ("/" + string.Join('/', root), root.Length);
            }
        }
        return best;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static string? Decode(ReadOnlySpan<byte> utf8)
    {
        try
        {
            string s = StrictUtf8.GetString(utf8);
            return s.Contains('\0') ? null : s;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
