using System.Text.Json;
using HvUtils.Core.Configuration;
using HvUtils.Core.Status;

namespace HvUtils.Vss;

/// <summary>
/// What the rest of the daemon needs to know about freezes: <c>hvutils status</c> shows the
/// frozen mounts, and configuration reloads wait while anything is frozen (design.md rule 4).
/// Reads only the channel's published snapshot, never its freezer.
/// </summary>
public sealed class VssStatus(VssChannel channel) : IStatusContributor, IReloadGate
{
    public string Name => "vss";

    public bool CanApply(out string reason)
    {
        if (channel.IsFrozen)
        {
            reason = channel.ThawPending
                ? "a thaw is still being retried"
                : $"{channel.FrozenMounts.Count} filesystem(s) are frozen";
            return false;
        }
        reason = "";
        return true;
    }

    public void WriteStatus(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("frozen", channel.IsFrozen);
        writer.WriteBoolean("thawPending", channel.ThawPending);
        writer.WriteStartArray("frozenMounts");
        foreach (string mount in channel.FrozenMounts)
        {
            writer.WriteStringValue(mount);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
