using System.IO.Enumeration;
using System.Text.RegularExpressions;

namespace HvUtils.Deploy.Tests;

/// <summary>One key of a udev rule: <c>KEY{attr} OP "value"</c> (udev(7)).</summary>
public sealed record UdevKey(string Name, string? Attribute, string Operator, string Value);

/// <summary>A device as udev sees it for matching: its own subsystem and name, and its parents' attributes.</summary>
public sealed record UdevDevice(string Subsystem, string Kernel, IReadOnlyList<(string Subsystem, IReadOnlyDictionary<string, string> Attributes)> Parents);

/// <summary>
/// A parsed udev rule line, strict about syntax (systemd 252 has no <c>udevadm verify</c>),
/// with just enough of udev's matching to check which devices a rule applies to.
/// </summary>
public sealed partial class UdevRule
{
    private static readonly HashSet<string> MatchOnly = ["ACTION", "DEVPATH", "KERNEL", "KERNELS", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "DRIVERS", "ATTRS", "TAGS", "RESULT"];
    private static readonly HashSet<string> Known = [.. MatchOnly, "ATTR", "SYSCTL", "ENV", "CONST", "TAG", "TEST", "PROGRAM", "NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "RUN", "LABEL", "GOTO", "IMPORT", "OPTIONS"];
    private static readonly HashSet<string> NeedsAttribute = ["ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "SECLABEL"];

    private UdevRule(IReadOnlyList<UdevKey> keys)
    {
        Keys = keys;
    }

    public IReadOnlyList<UdevKey> Keys { get; }

    public static IReadOnlyList<UdevRule> LoadFile(string path) =>
        [.. File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(Parse)];

    public static UdevRule Parse(string line)
    {
        var keys = new List<UdevKey>();
        int at = 0;
        while (at < line.Length)
        {
            Match m = KeyPattern().Match(line, at);
            if (!m.Success || m.Index != at)
            {
                throw new FormatException($"udev syntax error at column {at + 1}: {line}");
            }
            var key = new UdevKey(m.Groups["name"].Value, m.Groups["attr"].Success ? m.Groups["attr"].Value : null, m.Groups["op"].Value, m.Groups["value"].Value);
            Validate(key, line);
            keys.Add(key);
            at = m.Index + m.Length;
        }
        return new UdevRule(keys);
    }

    /// <summary>Whether every match key of this rule matches <paramref name="device"/> (parents searched for the *S keys).</summary>
    public bool Matches(UdevDevice device) => Keys.Where(k => k.Operator is "==" or "!=").All(k => (k.Operator == "==") == KeyMatches(k, device));

    /// <summary>The values this rule adds to <c>ENV{name}</c> / <c>TAG</c> with <c>+=</c>.</summary>
    public IEnumerable<string> Added(string name, string? attribute = null) =>
        Keys.Where(k => k.Name == name && k.Attribute == attribute && k.Operator == "+=").Select(k => k.Value);

    private static bool KeyMatches(UdevKey k, UdevDevice d) => k.Name switch
    {
        "SUBSYSTEM" => Glob(k.Value, d.Subsystem),
        "KERNEL" => Glob(k.Value, d.Kernel),
        "SUBSYSTEMS" => Glob(k.Value, d.Subsystem) || d.Parents.Any(p => Glob(k.Value, p.Subsystem)),
        "ATTRS" => d.Parents.Any(p => p.Attributes.TryGetValue(k.Attribute!, out string? v) && Glob(k.Value, v)),
        _ => throw new NotSupportedException($"the test evaluator does not model {k.Name}"),
    };

    private static bool Glob(string pattern, string text) => FileSystemName.MatchesSimpleExpression(pattern, text, ignoreCase: false);

    private static void Validate(UdevKey key, string line)
    {
        if (!Known.Contains(key.Name))
        {
            throw new FormatException($"unknown udev key {key.Name}: {line}");
        }
        if (NeedsAttribute.Contains(key.Name) != (key.Attribute is not null) && key.Name is not ("RUN" or "IMPORT" or "TEST"))
        {
            throw new FormatException($"{key.Name} {(key.Attribute is null ? "needs" : "takes no")} {{attribute}}: {line}");
        }
        if (MatchOnly.Contains(key.Name) && key.Operator is not ("==" or "!="))
        {
            throw new FormatException($"{key.Name} can only be matched (== or !=), not assigned with {key.Operator}: {line}");
        }
    }

    [GeneratedRegex("""\G(?<name>[A-Z_]+)(?:\{(?<attr>[^}]+)\})?\s*(?<op>==|!=|\+=|-=|:=|=)\s*"(?<value>[^"]*)"\s*(?:,\s*|$)""")]
    private static partial Regex KeyPattern();
}
