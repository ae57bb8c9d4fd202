using System.Globalization;

namespace HvUtils.Core.Hosting;

/// <summary>One mapping header of <c>/proc/PID/maps</c> or <c>smaps</c> (proc(5)): "start-end perms offset dev inode path".</summary>
public readonly record struct MappedRange(nint Start, long Length, string Permissions, string Path)
{
    /// <summary>
    /// The mappings of <paramref name="path"/> in <paramref name="smaps"/> (<c>/proc/PID/smaps</c>) that
    /// are not writable and hold no anonymous pages, i.e. no private copy-on-write copies: every
    /// resident page is the file's own page-cache page. A mapping whose <c>Anonymous:</c> line is
    /// missing does not qualify.
    /// </summary>
    public static IEnumerable<MappedRange> CleanReadOnlyMappingsOf(string smaps, string path)
    {
        MappedRange? current = null;
        foreach (string line in smaps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(line, out MappedRange range))
            {
                current = range.Path == path && range.Permissions.Length >= 2 && range.Permissions[1] == '-' ? range : null;
            }
            else if (current is { } candidate && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                current = null;
                if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "0", "kB"])
                {
                    yield return candidate;
                }
            }
        }
    }

    public static bool TryParse(string line, out MappedRange range)
    {
        range = default;
        string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 5 || f[0].Split('-') is not [string from, string to]
            || !long.TryParse(from, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(to, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long end) || end <= start)
        {
            return false;
        }
        range = new MappedRange((nint)start, end - start, f[1], f.Length == 6 ? f[5].Trim() : "");
        return true;
    }
}
