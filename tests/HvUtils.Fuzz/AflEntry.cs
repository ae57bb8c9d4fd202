using SharpFuzz;

namespace HvUtils.Fuzz;

/// <summary>
/// The AFL entry point (tests/HvUtils.Fuzz/afl.sh): each AFL input is one message fed to the
/// same harness; an invariant violation escapes as an exception, which SharpFuzz reports to
/// afl-fuzz as a crash. The whole state is checked after every input.
/// </summary>
public static class AflEntry
{
    public static void Run(string channel)
    {
        // Instrumented code writes to AFL's shared memory, which exists only inside Fuzzer.Run:
        // the harness (whose constructor runs instrumented service code) is created there.
        IChannelHarness? harness = null;
        byte[] buffer = [];
        Fuzzer.Run(stream =>
        {
            if (harness is null)
            {
                harness = Harnesses.Create(channel);
                buffer = new byte[harness.MaxMessageSize];
            }
            int length = 0;
            int n;
            while (length < buffer.Length && (n = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += n;
            }
            harness.Feed(buffer.AsSpan(0, length));
            harness.CheckState();
        });
        harness?.Dispose();
    }
}
