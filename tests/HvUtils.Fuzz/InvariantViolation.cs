using HvUtils.Core.Channels;

namespace HvUtils.Fuzz;

/// <summary>An invariant of issue 9 point 1 did not hold; carries the offending message for the crash file.</summary>
public sealed class InvariantViolation(string message, byte[]? input = null) : Exception(message)
{
    public byte[]? Input { get; } = input;

    public static void Require(bool condition, string what, ReadOnlySpan<byte> input)
    {
        if (!condition)
        {
            throw new InvariantViolation(what, input.ToArray());
        }
    }

    /// <summary>Calls <see cref="IHvChannel.Handle"/> with a zeroed reply buffer, as the runner does; an exception is a violation (Handle must not throw).</summary>
    public static HandledMessage Handle(IHvChannel channel, string name, ReadOnlySpan<byte> message, byte[] reply)
    {
        reply.AsSpan().Clear();
        try
        {
            return channel.Handle(message, reply);
        }
        catch (Exception ex)
        {
            throw new InvariantViolation($"{name}: Handle threw {ex}", message.ToArray());
        }
    }
}
