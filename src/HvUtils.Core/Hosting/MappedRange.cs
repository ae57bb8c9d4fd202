using System.Globalization;

namespace HvUtils.Core.Hosting;

/// <summary>One line of <c>/proc/PID/maps</c> (proc(5)): "start-end perms offset dev inode path".</summary>
public readonly record struct MappedRange(nint Start, long Length, string Permissions, string Path)
{
    /// <summary>The mappings of <paramref name="path"/> that are not writable (code, read-only data).</summary>
    public static IEnumerable<MappedRange> ReadOnlyMappingsOf(string maps, string path)
    {
        foreach (string line in maps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(line, out MappedRange range) && range.Path == path && range.Permissions.Length >= 2 && range.Permissions[1] == '-')
            {
                yield return range;
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
