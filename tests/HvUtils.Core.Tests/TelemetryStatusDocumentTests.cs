using System.Text.Json;
using HvUtils.Core.Runtime;
using HvUtils.Core.Status;

namespace HvUtils.Core.Tests;

/// <summary>The status document the control socket serves (parsed back with JsonDocument, as hvutils does).</summary>
public sealed class TelemetryStatusDocumentTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Channels_daemon_and_contributed_sections_are_written()
    {
        ChannelStatus[] channels =
        [
            new("kvp", ChannelState.Registered, Start.AddSeconds(1), "/dev/vmbus/hv_kvp", "set", "success", Start.AddSeconds(30), 7, 1),
            new("vss", ChannelState.Waiting, Start.AddSeconds(2), "waiting for /dev/vmbus/hv_vss", null, null, null, 0, 0),
            new("fcopy", ChannelState.Stopped, Start.AddSeconds(3), "stopped", null, null, null, 0, 0),
        ];

        byte[] json = StatusDocument.Write("1.2.3", Start, Start.AddSeconds(90.5), channels, [new FrozenMounts()]);

        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.Equal("1.2.3", root.GetProperty("daemon").GetProperty("version").GetString());
        Assert.Equal(90.5, root.GetProperty("daemon").GetProperty("uptimeSeconds").GetDouble());
        Assert.Equal(Start, root.GetProperty("daemon").GetProperty("startedAt").GetDateTimeOffset());
        JsonElement kvp = root.GetProperty("channels")[0];
        Assert.Equal("registered", kvp.GetProperty("state").GetString());
        Assert.Equal(Start.AddSeconds(1), kvp.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("set", kvp.GetProperty("lastRequest").GetProperty("operation").GetString());
        Assert.Equal("success", kvp.GetProperty("lastRequest").GetProperty("outcome").GetString());
        Assert.Equal(7, kvp.GetProperty("messages").GetInt64());
        Assert.Equal(1, kvp.GetProperty("reconnects").GetInt64());
        Assert.Equal("waiting", root.GetProperty("channels")[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("channels")[1].GetProperty("lastRequest").ValueKind);
        Assert.Equal("error", root.GetProperty("channels")[2].GetProperty("state").GetString());
        Assert.Equal("/mnt/data", root.GetProperty("sections").GetProperty("vss").GetProperty("frozen")[0].GetString());
    }

    [Fact]
    public void A_failing_contributor_yields_an_error_object_not_a_broken_document()
    {
        byte[] json = StatusDocument.Write("1.0.0", Start, Start, [], [new Broken(), new FrozenMounts()]);

        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("boom", doc.RootElement.GetProperty("sections").GetProperty("broken").GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("sections").GetProperty("vss").GetProperty("frozen").ValueKind);
    }

    [Fact]
    public void Errors_are_a_single_property()
    {
        using JsonDocument doc = JsonDocument.Parse(StatusDocument.Error("permission denied"));
        Assert.Equal("permission denied", doc.RootElement.GetProperty("error").GetString());
    }

    private sealed class FrozenMounts : IStatusContributor
    {
        public string Name => "vss";

        public void WriteStatus(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("frozen");
            writer.WriteStringValue("/mnt/data");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private sealed class Broken : IStatusContributor
    {
        public string Name => "broken";

        public void WriteStatus(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            throw new InvalidOperationException("boom");
        }
    }
}
