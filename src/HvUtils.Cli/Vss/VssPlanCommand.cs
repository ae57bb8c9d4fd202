using System.Text;
using System.Text.Json;
using HvUtils.Vss;
using HvUtils.Vss.Planning;

namespace HvUtils.Cli.Vss;

/// <summary><c>hvutils vss plan</c>: the plan the daemon would build for the next FREEZE.</summary>
public static class VssPlanCommand
{
    public static int Run(VssOptions options, bool json, TextWriter output)
    {
        FreezePlan plan = new FreezePlanner(options).PlanFromFile(options.MountInfoPath);
        output.Write(json ? ToJson(plan) : ToText(plan));
        return 0;
    }

    public static string ToText(FreezePlan plan)
    {
        var sb = new StringBuilder();
        sb.AppendLine(plan.Targets.Count == 0 ? "FREEZE would freeze nothing." : $"FREEZE would freeze, in this order:");
        int i = 0;
        foreach (FreezeTarget t in plan.Targets)
        {
            sb.AppendLine($"  {++i}. {t.MountPoint}  ({t.FsType} on {t.Source}, device {t.DeviceNumber}): {t.Reason}");
        }
        if (plan.Skipped.Count > 0)
        {
            sb.AppendLine("Skipped:");
            foreach (SkippedMount s in plan.Skipped)
            {
                sb.AppendLine($"  {s.MountPoint}  ({s.FsType} from {s.Source}): {s.Reason}");
            }
        }
        foreach (string note in plan.Notes)
        {
            sb.AppendLine($"note: {note}");
        }
        return sb.ToString();
    }

    public static string ToJson(FreezePlan plan)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("freeze");
            foreach (FreezeTarget t in plan.Targets)
            {
                w.WriteStartObject();
                w.WriteString("mountPoint", t.MountPoint);
                w.WriteString("source", t.Source);
                w.WriteString("fsType", t.FsType);
                w.WriteString("device", t.DeviceNumber);
                w.WriteString("reason", t.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("skipped");
            foreach (SkippedMount s in plan.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("mountPoint", s.MountPoint);
                w.WriteString("source", s.Source);
                w.WriteString("fsType", s.FsType);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (string n in plan.Notes)
            {
                w.WriteStringValue(n);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }
}
