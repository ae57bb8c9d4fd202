using FsCheck;
using FsCheck.Fluent;

namespace HvUtils.Fuzz.Tests;

/// <summary>
/// FsCheck properties over the same harnesses: arbitrary byte strings (FsCheck's own
/// generator and shrinker) and message sequences mutated from the golden vectors. Replays
/// are fixed, so CI is deterministic; a failure prints the replay to reproduce it.
/// </summary>
public sealed class PropertyTests
{
    private static Config Fixed(int tests, ulong seed) => Config.QuickThrowOnFailure.WithMaxTest(tests).WithReplay(seed, 0x9E3779B97F4A7C15UL);

    public static TheoryData<string> Channels => [.. Harnesses.Names];

    [Theory]
    [MemberData(nameof(Channels))]
    public void Any_byte_string_gets_a_valid_reply_and_keeps_the_state_sound(string channel)
    {
        using IChannelHarness harness = Harnesses.Create(channel);
        Arbitrary<byte[]> bytes = ArbMap.Default.ArbFor<byte[]>();
        Property property = Prop.ForAll(bytes, message =>
        {
            byte[] m = message.Length > harness.MaxMessageSize ? message[..harness.MaxMessageSize] : message;
            harness.Feed(m);
            harness.CheckState();
        });
        Check.One(Fixed(300, 11), property);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Sequences_mutated_from_the_golden_vectors_keep_every_invariant(string channel)
    {
        using IChannelHarness harness = Harnesses.Create(channel);
        Property property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var mutator = new Mutator(harness, seed);
            for (int i = 0; i < 40; i++)
            {
                harness.Feed(mutator.Next());
            }
            harness.Quiesce();
            harness.CheckState();
        });
        Check.One(Fixed(40, 23), property);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Every_golden_vector_is_handled(string channel)
    {
        using IChannelHarness harness = Harnesses.Create(channel);
        foreach (byte[] seed in harness.Seeds)
        {
            harness.Feed(seed);
        }
        harness.Quiesce();
        harness.CheckState();
    }
}

/// <summary>The same property through FsCheck.Xunit's attribute (fixed replay): one VSS harness per case, fresh state.</summary>
public sealed class VssAttributeProperties
{
    [FsCheck.Xunit.Property(MaxTest = 150, Replay = "(12345,67891)")]
    public void A_request_and_its_reset_leave_nothing_frozen(byte operation, byte[] tail)
    {
        using var harness = new Vss.VssHarness();
        byte[] message = new byte[12];
        message[0] = operation;
        tail.AsSpan(0, Math.Min(tail.Length, 11)).CopyTo(message.AsSpan(1));
        harness.Feed(Convert.FromHexString("050000000000000000000000")); // FREEZE first, so the request meets frozen state
        harness.Feed(message);
        harness.Quiesce();
        harness.CheckState();
    }
}
