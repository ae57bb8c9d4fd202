using System.Diagnostics;

namespace HvUtils.Fuzz;

/// <summary>What a run did: messages fed, wall time, and the descriptor/thread counts around it.</summary>
public readonly record struct FuzzResult(string Channel, long Messages, TimeSpan Elapsed, ProcessCounts Before, ProcessCounts After)
{
    public double PerSecond => Messages / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Feeds <c>count</c> messages from the <see cref="Mutator"/> into a harness, checks the whole
/// state every <c>checkEvery</c> messages and at the end, and compares /proc/self fd and thread
/// counts at rest (after a device reset) before and after.
/// </summary>
public static class FuzzRunner
{
    /// <summary>The runtime may start a thread or two on its own (tiering, finalizer work); a channel leak grows with the count.</summary>
    public const int ThreadSlack = 2;

    /// <summary>$HVUTILS_FUZZ_FDWATCH=1: report when (message index, elapsed time) a new descriptor first appears mid-run.</summary>
    private static readonly bool FdWatch = Environment.GetEnvironmentVariable("HVUTILS_FUZZ_FDWATCH") == "1";

    private static void WatchFds(HashSet<string> baseline, long index, TimeSpan elapsed)
    {
        HashSet<string> now = ProcessCounts.FdTargets();
        // The enumeration's own descriptor ("N->" with no target) differs from call to call.
        now.RemoveWhere(t => t.EndsWith("->", StringComparison.Ordinal));
        now.ExceptWith(baseline);
        if (now.Count > 0)
        {
            Console.Error.WriteLine($"fd-watch: {now.Count} new after {index:N0} messages, {elapsed.TotalSeconds:F1} s: {string.Join(", ", now)}");
            baseline.UnionWith(now);
        }
    }

    public static FuzzResult Run(IChannelHarness harness, long count, int seed, int checkEvery = 2000, Action<long>? progress = null)
    {
        var mutator = new Mutator(harness, seed);
        // Warm up so lazily opened runtime descriptors are counted in the baseline.
        for (int i = 0; i < Math.Min(2000, count); i++)
        {
            harness.Feed(mutator.Next());
        }
        harness.Quiesce();
        harness.CheckState();
        ProcessCounts before = ProcessCounts.Now();
        HashSet<string> fdsBefore = ProcessCounts.FdTargets();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            byte[] message = mutator.Next();
            harness.Feed(message);
            if ((i + 1) % checkEvery == 0)
            {
                harness.CheckState();
                progress?.Invoke(i + 1);
                if (FdWatch)
                {
                    WatchFds(fdsBefore, i + 1, clock.Elapsed);
                }
            }
        }
        clock.Stop();
        harness.Quiesce();
        harness.CheckState();
        ProcessCounts after = ProcessCounts.Now();
        if (after.Fds != before.Fds || after.Threads > before.Threads + ThreadSlack)
        {
            HashSet<string> added = ProcessCounts.FdTargets();
            added.ExceptWith(fdsBefore);
            throw new InvariantViolation($"{harness.Name}: descriptor or thread leak: before {before}, after {after}; new: {string.Join(", ", added)}");
        }
        return new FuzzResult(harness.Name, count, clock.Elapsed, before, after);
    }
}
