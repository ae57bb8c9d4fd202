using System.Collections;

namespace HvUtils.Core.Logging;

/// <summary>
/// Structured log scopes with the attribute names the metrics use (channel, operation, pool,
/// status): <c>using (logger.BeginScope(LogScopes.Pool(3))) { … }</c>. The console formatters
/// print them as <c>pool=3</c> (IncludeScopes) and structured sinks get them as fields. Each
/// call allocates: use them around slow or failing paths, not on the steady message path.
/// </summary>
public static class LogScopes
{
    public static LogScope Channel(string channel) => new([new("channel", channel)]);

    public static LogScope Operation(string channel, string operation) => new([new("channel", channel), new("operation", operation)]);

    public static LogScope Pool(int pool) => new([new("pool", pool)]);

    public static LogScope Status(string status) => new([new("status", status)]);
}

/// <summary>Key/value pairs for a logger scope; prints as <c>key=value key=value</c>.</summary>
public sealed class LogScope(KeyValuePair<string, object?>[] pairs) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => pairs.Length;

    public KeyValuePair<string, object?> this[int index] => pairs[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
}
