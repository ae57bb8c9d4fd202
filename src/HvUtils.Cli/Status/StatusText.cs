using System.Globalization;
using System.Text.Json;

namespace HvUtils.Cli.Status;

/// <summary>The human form of the status document (the JSON form is printed as received).</summary>
public static class StatusText
{
    public static void Write(string json, DateTimeOffset now, TextWriter output)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        JsonElement daemon = root.GetProperty("daemon");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hvutilsd {daemon.GetProperty("version").GetString()}, pid {daemon.GetProperty("pid").GetInt32()}, up {Duration(TimeSpan.FromSeconds(daemon.GetProperty("uptimeSeconds").GetDouble()))}"));
        foreach (JsonElement c in root.GetProperty("channels").EnumerateArray())
        {
            WriteChannel(c, now, output);
        }
        foreach (JsonProperty section in root.GetProperty("sections").EnumerateObject())
        {
            output.WriteLine($"{section.Name}:");
            WriteValue(section.Value, "  ", output);
        }
    }

    private static void WriteChannel(JsonElement c, DateTimeOffset now, TextWriter output)
    {
        DateTimeOffset since = c.GetProperty("since").GetDateTimeOffset();
        string state = c.GetProperty("state").GetString() switch
        {
            "waiting" => "waiting for device",
            { } s => s,
            null => "unknown",
        };
        output.WriteLine($"{c.GetProperty("name").GetString()}: {state} since {Time(since)} ({Duration(now - since)} ago)");
        output.WriteLine($"  detail: {c.GetProperty("detail").GetString()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  messages: {c.GetProperty("messages").GetInt64()}, reconnects: {c.GetProperty("reconnects").GetInt64()}"));
        if (c.GetProperty("lastRequest") is { ValueKind: JsonValueKind.Object } last)
        {
            output.WriteLine($"  last request: {last.GetProperty("operation").GetString()} -> {last.GetProperty("outcome").GetString()} at {Time(last.GetProperty("at").GetDateTimeOffset())}");
        }
        else
        {
            output.WriteLine("  last request: none");
        }
    }

    /// <summary>A contributor's section, flattened to indented "key: value" lines.</summary>
    private static void WriteValue(JsonElement value, string indent, TextWriter output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in value.EnumerateObject())
                {
                    if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        output.WriteLine($"{indent}{p.Name}:");
                        WriteValue(p.Value, indent + "  ", output);
                    }
                    else
                    {
                        output.WriteLine($"{indent}{p.Name}: {Scalar(p.Value)}");
                    }
                }
                break;
            case JsonValueKind.Array:
                if (value.GetArrayLength() == 0)
                {
                    output.WriteLine($"{indent}(none)");
                }
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        output.WriteLine($"{indent}-");
                        WriteValue(item, indent + "  ", output);
                    }
                    else
                    {
                        output.WriteLine($"{indent}- {Scalar(item)}");
                    }
                }
                break;
            default:
                output.WriteLine($"{indent}{Scalar(value)}");
                break;
        }
    }

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Null => "-",
        _ => e.GetRawText(),
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }
        return d.TotalDays >= 1 ? $"{(int)d.TotalDays}d {d.Hours}h {d.Minutes}m"
            : d.TotalHours >= 1 ? $"{d.Hours}h {d.Minutes}m {d.Seconds}s"
            : d.TotalMinutes >= 1 ? $"{d.Minutes}m {d.Seconds}s"
            : $"{d.Seconds}s";
    }
}
