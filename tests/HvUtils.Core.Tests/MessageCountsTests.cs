using HvUtils.Core.Runtime;

namespace HvUtils.Core.Tests;

/// <summary>The per-(operation, outcome) cells behind the hvutils.channel.messages counter.</summary>
public sealed class MessageCountsTests
{
    [Fact]
    public void Counts_each_operation_and_outcome_pair_separately_whatever_string_instance_names_it()
    {
        var counts = new MessageCounts();
        for (int i = 0; i < 5; i++)
        {
            counts.Add("set", "success");
            counts.Add("get", i % 2 == 0 ? "success" : "not_found");
        }
        // Equal text in another string instance lands in the same cell (the fast path compares references).
        counts.Add(new string("set".AsSpan()), new string("success".AsSpan()));
        counts.Add("set", "success");

        Assert.Equal(
            [("set", "success", 7L), ("get", "success", 3L), ("get", "not_found", 2L)],
            counts.Snapshot().ToArray());
        Assert.Equal(12, counts.Total);
    }

    [Fact]
    public void A_reader_on_another_thread_sees_monotonic_counts_while_the_channel_thread_adds()
    {
        var counts = new MessageCounts();
        string[] operations = ["get", "set", "delete", "enumerate"];
        var writer = new Thread(() =>
        {
            for (int i = 0; i < 200_000; i++)
            {
                counts.Add(operations[i % 4], "success");
            }
        });
        writer.Start();
        var last = new Dictionary<string, long>();
        while (writer.IsAlive)
        {
            foreach ((string op, _, long count) in counts.Snapshot())
            {
                Assert.True(count >= last.GetValueOrDefault(op), $"{op} went back from {last.GetValueOrDefault(op)} to {count}");
                last[op] = count;
            }
        }
        writer.Join();
        Assert.All(counts.Snapshot(), c => Assert.Equal(50_000L, c.Count));
    }
}
