using System.Globalization;
using System.Text;

namespace HvUtils.Vss.Planning;

/// <summary>Parses <c>/proc/self/mountinfo</c> text; malformed lines are reported, not fatal.</summary>
public static class MountInfoParser
{
    public static IReadOnlyList<MountEntry> Parse(string text, ICollection<string>? errors = null)
    {
        var entries = new List<MountEntry>();
        int lineNumber = 0;
        foreach (string line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            if (TryParseLine(line) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                errors?.Add($"mountinfo line {lineNumber} not understood: {line}");
            }
        }
        return entries;
    }

    /// <summary>
    /// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue":
    /// id, parent, major:minor, root, mount point, options, optional fields up to "-",
    /// fstype, source, super options (proc(5)).
    /// </summary>
    public static MountEntry? TryParseLine(string line)
    {
        string[] f = line.Split(' ');
        int dash = f.Length < 10 ? -1 : Array.IndexOf(f, "-", 6);
        if (dash < 0 || f.Length < dash + 4)
        {
            return null;
        }
        string[] dev = f[2].Split(':');
        if (dev.Length != 2
            || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            || !uint.TryParse(dev[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint major)
            || !uint.TryParse(dev[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint minor))
        {
            return null;
        }
        return new MountEntry(id, parent, major, minor, Unescape(f[3]), Unescape(f[4]), f[5],
            Unescape(f[dash + 1]), Unescape(f[dash + 2]), f[dash + 3]);
    }

    /// <summary>Decodes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash).</summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }
        var bytes = new List<byte>(field.Length);
        byte[] raw = Encoding.UTF8.GetBytes(field);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && IsOctal(raw, i + 1))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(byte[] raw, int at) =>
        at + 2 < raw.Length && raw[at] is >= (byte)'0' and <= (byte)'3'
        && raw[at + 1] is >= (byte)'0' and <= (byte)'7' && raw[at + 2] is >= (byte)'0' and <= (byte)'7';
}
