namespace HvUtils.Fuzz.Tests;

/// <summary>
/// The CI run of issue 9 point 1: a short, deterministic fuzz run per channel through the same
/// runner as the long mode — every invariant checked on every message, the whole state
/// periodically, and descriptor/thread counts at rest before and after.
/// </summary>
public sealed class SeededRunTests
{
    public static TheoryData<string, int> Runs => new()
    {
        { "kvp", 9001 },
        { "kvp", 9002 },
        { "vss", 9001 },
        { "vss", 9002 },
        { "fcopy-legacy", 9001 },
        { "fcopy-legacy", 9002 },
        { "fcopy-uio", 9001 },
        { "fcopy-uio", 9002 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Short_seeded_run_keeps_every_invariant(string channel, int seed)
    {
        using IChannelHarness harness = Harnesses.Create(channel);
        FuzzResult result = FuzzRunner.Run(harness, 4000, seed, checkEvery: 500);
        Assert.Equal(4000, result.Messages);
        Assert.Equal(result.Before.Fds, result.After.Fds);
        // The run reached the success paths, not only the refusals.
        Assert.Contains(harness.Outcomes, o => o.Key.Contains("success", StringComparison.Ordinal) || o.Key.StartsWith("0:success", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        static IReadOnlyDictionary<string, long> Once()
        {
            using IChannelHarness harness = Harnesses.Create("kvp");
            FuzzRunner.Run(harness, 1500, 77);
            return new Dictionary<string, long>(harness.Outcomes);
        }
        Assert.Equal(Once(), Once());
    }
}
