namespace HvUtils.Kvp.Tests;

/// <summary>design.md rule 5: the steady-state message path allocates nothing per message.</summary>
public sealed class KvpAllocationTests
{
    [Fact]
    public void Steady_state_requests_allocate_nothing()
    {
        using var rig = new ChannelRig();
        byte[][] requests =
        [
            Msg.Enumerate(2, 3),
            Msg.Enumerate(2, 10),
            Msg.Set(1, "existing", "value"),
            Msg.Get(1, "existing"),
            Msg.Enumerate(1, 0),
            Msg.Enumerate(1, 5),
            Msg.Get(1, "absent"),
            Msg.Set(9, "bad-pool", "x"),
            Msg.New(42, 1),
        ];
        byte[] reply = new byte[Msg.Size];
        foreach (byte[] r in requests)
        {
            rig.Channel.Handle(r, reply);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            Array.Clear(reply);
            rig.Channel.Handle(requests[i % requests.Length], reply);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
