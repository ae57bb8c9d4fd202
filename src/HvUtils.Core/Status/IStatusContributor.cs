using System.Text.Json;

namespace HvUtils.Core.Status;

/// <summary>
/// A service's own section in <c>hvutils status</c> (e.g. VSS: the frozen mounts). Register
/// implementations as <c>services.AddSingleton&lt;IStatusContributor, X&gt;()</c>; the status
/// server calls <see cref="WriteStatus"/> on its own thread for every query, so keep it a
/// cheap snapshot that takes no lock a channel thread might hold for long.
/// </summary>
public interface IStatusContributor
{
    /// <summary>The section's JSON property name and human heading, e.g. "vss".</summary>
    string Name { get; }

    /// <summary>Writes one JSON value (normally an object) describing the current state.</summary>
    void WriteStatus(Utf8JsonWriter writer);
}
