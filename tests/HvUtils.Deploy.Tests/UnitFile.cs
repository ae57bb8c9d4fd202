namespace HvUtils.Deploy.Tests;

/// <summary>A systemd unit file as (section, key, value) assignments, in order (systemd.syntax(7)).</summary>
public sealed class UnitFile
{
    private UnitFile(IReadOnlyList<(string Section, string Key, string Value)> entries)
    {
        Entries = entries;
    }

    public IReadOnlyList<(string Section, string Key, string Value)> Entries { get; }

    public static UnitFile Load(string path)
    {
        var entries = new List<(string, string, string)>();
        string section = "";
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{path}: not an assignment: {line}");
            }
            entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return new UnitFile(entries);
    }

    /// <summary>Every value assigned to <paramref name="key"/> in <paramref name="section"/>.</summary>
    public IReadOnlyList<string> Values(string section, string key) =>
        [.. Entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    /// <summary>The single value of <paramref name="key"/>; fails when it is missing or repeated.</summary>
    public string Single(string section, string key) => Assert.Single(Values(section, key));

    /// <summary>Space-separated words of every assignment of a list-valued key.</summary>
    public IReadOnlyList<string> Words(string section, string key) =>
        [.. Values(section, key).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
}
