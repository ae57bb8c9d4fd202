using System.Diagnostics;

namespace HvUtils.Kvp.Tests;

/// <summary>Both locks, each with a bounded wait (issue 3 point 2): a writer holding either one delays us, a stuck one fails the request.</summary>
public sealed class KvpLockingTests
{
    [Theory]
    [InlineData("fcntl")]
    [InlineData("flock")]
    public void A_writer_holding_either_lock_past_the_timeout_fails_the_request_without_changes(string kind)
    {
        using var rig = new ChannelRig(lockTimeout: TimeSpan.FromMilliseconds(300));
        rig.Send(Msg.Set(1, "k", "before"));
        byte[] before = File.ReadAllBytes(rig.PoolFile(1));
        var holder = ExternalWriter.Hold(rig.PoolFile(1), kind);
        try
        {
            var sw = Stopwatch.StartNew();
            Assert.Equal(0x80004005u, Msg.Status(rig.Send(Msg.Set(1, "k", "during"))));
            Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
            Assert.Equal(0x80004005u, Msg.Status(rig.Send(Msg.Enumerate(1, 0))));
            Assert.Equal(before, File.ReadAllBytes(rig.PoolFile(1)));
        }
        finally
        {
            ExternalWriter.Release(holder);
        }
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "k", "after"))));
        Assert.Equal(Msg.Record("k", "after"), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Theory]
    [InlineData("fcntl")]
    [InlineData("flock")]
    public async Task A_briefly_held_lock_only_delays_the_request(string kind)
    {
        using var rig = new ChannelRig(lockTimeout: TimeSpan.FromSeconds(10));
        var holder = ExternalWriter.Hold(rig.PoolFile(1), kind);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            ExternalWriter.Release(holder);
        });
        var sw = Stopwatch.StartNew();
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "k", "v"))));
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(200), $"took {sw.Elapsed}");
        await release;
    }
}
