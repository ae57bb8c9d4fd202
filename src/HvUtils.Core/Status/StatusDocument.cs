using System.Buffers;
using System.Text.Json;
using HvUtils.Core.Runtime;
using HvUtils.Core.Telemetry;

namespace HvUtils.Core.Status;

/// <summary>
/// The JSON answer to <c>status</c> (written with Utf8JsonWriter: AOT-safe):
/// <c>{"daemon":{version,pid,startedAt,uptimeSeconds},"channels":[…],"sections":{name:…}}</c>.
/// </summary>
public static class StatusDocument
{
    public static byte[] Write(string version, DateTimeOffset startedAt, DateTimeOffset now, IEnumerable<ChannelStatus> channels,
        IEnumerable<IStatusContributor> contributors)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("daemon");
            w.WriteString("version", version);
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteString("startedAt", startedAt);
            w.WriteNumber("uptimeSeconds", Math.Round((now - startedAt).TotalSeconds, 3));
            w.WriteEndObject();
            w.WriteStartArray("channels");
            foreach (ChannelStatus c in channels)
            {
                WriteChannel(w, c);
            }
            w.WriteEndArray();
            w.WriteStartObject("sections");
            foreach (IStatusContributor contributor in contributors)
            {
                w.WritePropertyName(contributor.Name);
                WriteSection(w, contributor);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Error(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteChannel(Utf8JsonWriter w, ChannelStatus c)
    {
        w.WriteStartObject();
        w.WriteString("name", c.Channel);
        w.WriteString("state", HvUtilsMetrics.StateName(c.State));
        w.WriteString("since", c.Since);
        w.WriteString("detail", c.Detail);
        if (c.LastRequestAt is { } at)
        {
            w.WriteStartObject("lastRequest");
            w.WriteString("operation", c.LastOperation);
            w.WriteString("outcome", c.LastOutcome);
            w.WriteString("at", at);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("lastRequest");
        }
        w.WriteNumber("messages", c.Messages);
        w.WriteNumber("reconnects", c.Reconnects);
        w.WriteEndObject();
    }

    /// <summary>A contributor that throws (or writes nothing) yields an error object, not a broken document.</summary>
    private static void WriteSection(Utf8JsonWriter w, IStatusContributor contributor)
    {
        var section = new ArrayBufferWriter<byte>(256);
        try
        {
            using (var sw = new Utf8JsonWriter(section))
            {
                contributor.WriteStatus(sw);
            }
            using JsonDocument parsed = JsonDocument.Parse(section.WrittenMemory);
            parsed.WriteTo(w);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            w.WriteStartObject();
            w.WriteString("error", ex.Message);
            w.WriteEndObject();
        }
    }
}
