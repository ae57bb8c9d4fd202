namespace HvUtils.Fuzz;

/// <summary>
/// One channel under fuzz: the real channel (and transport) over a sandbox, a generator of
/// well-formed messages, the golden vectors mutations start from, and an oracle that checks
/// every reply. <see cref="Feed"/> throws <see cref="InvariantViolation"/> when an invariant fails.
/// </summary>
public interface IChannelHarness : IDisposable
{
    string Name { get; }

    /// <summary>Largest message the runner would hand the channel (its MaxMessageSize, or the ring payload limit).</summary>
    int MaxMessageSize { get; }

    /// <summary>Golden vectors: the tests' hand-built wire messages mutations start from.</summary>
    IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Offsets of length, size and index fields, where the mutator plants boundary values.</summary>
    IReadOnlyList<int> FieldOffsets { get; }

    /// <summary>A well-formed message with values from a small alphabet (so keys and names collide).</summary>
    byte[] Generate(Random rng);

    /// <summary>One message through the real codec and channel, reply checked.</summary>
    void Feed(ReadOnlySpan<byte> message);

    /// <summary>The slower whole-state checks: pool files against the model, the sandbox tree.</summary>
    void CheckState();

    /// <summary>What a device reset does (thaw, drop a partial copy), so descriptors can be counted at rest.</summary>
    void Quiesce();

    /// <summary>Replies seen by operation and outcome, for the report (proves the paths were reached).</summary>
    IReadOnlyDictionary<string, long> Outcomes { get; }
}
