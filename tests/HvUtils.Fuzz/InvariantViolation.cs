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
}
