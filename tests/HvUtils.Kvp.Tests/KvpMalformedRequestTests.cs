namespace HvUtils.Kvp.Tests;

/// <summary>Every malformed-request class of issue 3 point 3: the right status, nothing changed, and the channel still serving.</summary>
public sealed class KvpMalformedRequestTests
{
    private const uint SCont = 0x80070103;
    private const uint EFail = 0x80004005;

    [Theory]
    [InlineData(1, 5)]
    [InlineData(1, 200)]
    [InlineData(1, 255)]
    [InlineData(0, 5)]
    [InlineData(2, 200)]
    [InlineData(3, 5)]
    [InlineData(3, 255)]
    public void Pool_outside_0_to_4_fails_and_the_channel_keeps_serving(byte op, byte pool)
    {
        using var rig = new ChannelRig();
        byte[] request = op switch
        {
            1 => Msg.Set(pool, "k", "v"),
            0 => Msg.Get(pool, "k"),
            2 => Msg.Delete(pool, "k"),
            _ => Msg.Enumerate(pool, 0),
        };
        Assert.Equal(EFail, Msg.Status(rig.Send(request)));
        AssertStillServing(rig);
    }

    [Theory]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(10u)]
    public void Enumerate_past_the_end_answers_no_more_items(uint index)
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), Msg.Record("only", "one"));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, index))));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(2, index))));
        AssertStillServing(rig);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(513u)]
    [InlineData(0xFFFFFFFFu)]
    public void Key_size_outside_1_to_512_changes_nothing(uint keySize)
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), Msg.Record("first", "kept"));
        byte[] before = File.ReadAllBytes(rig.PoolFile(1));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Set(1, "first", "overwritten?").U32(8, keySize))));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Get(1, "first").U32(8, keySize))));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Delete(1, "first").U32(4, keySize))));
        Assert.Equal(before, File.ReadAllBytes(rig.PoolFile(1)));
        AssertStillServing(rig);
    }

    [Fact]
    public void Key_without_a_nul_within_key_size_changes_nothing()
    {
        using var rig = new ChannelRig();
        byte[] set = Msg.Set(1, "abcdef", "v").U32(8, 3);
        Assert.Equal(SCont, Msg.Status(rig.Send(set)));
        byte[] full = Msg.New(1, 1).U32(8, 512).U32(12, 2).Str(528, "v");
        Array.Fill(full, (byte)'x', 16, 512);
        Assert.Equal(SCont, Msg.Status(rig.Send(full)));
        Assert.Equal(0, new FileInfo(rig.PoolFile(1)).Length);
    }

    [Fact]
    public void Value_size_over_2048_changes_nothing()
    {
        using var rig = new ChannelRig();
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Set(1, "k", "v").U32(12, 2049))));
        byte[] noRoomForNul = Msg.Set(1, "k", "").U32(12, 2048);
        Array.Fill(noRoomForNul, (byte)'v', 528, 2048);
        Assert.Equal(SCont, Msg.Status(rig.Send(noRoomForNul)));
        Assert.Equal(0, new FileInfo(rig.PoolFile(1)).Length);
    }

    [Fact]
    public void Value_size_0_stores_an_empty_value()
    {
        using var rig = new ChannelRig();
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "k", "ignored").U32(12, 0))));
        Assert.Equal(Msg.Record("k", ""), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Keys_are_compared_up_to_the_first_nul()
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), Msg.Record("key", "stored"));
        // key_size 10 covers "key\0junk\0": the key is "key".
        byte[] get = Msg.Get(1, "key").Str(20, "junk").U32(8, 10);
        byte[] reply = rig.Send(get);
        Assert.Equal(0u, Msg.Status(reply));
        Assert.Equal("stored", Msg.CString(reply.AsSpan(532)));
    }

    [Fact]
    public void Overwriting_with_a_shorter_value_leaves_no_old_tail()
    {
        using var rig = new ChannelRig();
        rig.Send(Msg.Set(1, "k", "a-long-original-value"));
        rig.Send(Msg.Set(1, "k", "short"));
        Assert.Equal(Msg.Record("k", "short"), File.ReadAllBytes(rig.PoolFile(1)));
        byte[] reply = rig.Send(Msg.Enumerate(1, 0));
        Assert.Equal(Msg.Record("k", "short")[512..2560], reply[532..(532 + 2048)]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(255)]
    public void Unknown_opcode_gets_an_error_status(byte op)
    {
        using var rig = new ChannelRig();
        byte[] reply = rig.Send(Msg.New(op, 1));
        Assert.Equal(0x80070032u, Msg.Status(reply));
        Assert.Equal(new byte[Msg.Size - 4], reply[4..]);
        AssertStillServing(rig);
    }

    [Fact]
    public void A_message_of_the_wrong_length_fails_without_reading_past_it()
    {
        using var rig = new ChannelRig();
        byte[] reply = new byte[Msg.Size];
        Assert.Equal(Msg.Size, rig.Channel.Handle(new byte[100], reply).ReplyLength);
        Assert.Equal(EFail, Msg.Status(reply));
    }

    [Fact]
    public void Missing_keys_answer_no_more_items()
    {
        using var rig = new ChannelRig();
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Get(0, "absent"))));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Delete(0, "absent"))));
    }

    [Fact]
    public void Random_requests_never_throw_and_always_produce_a_full_reply()
    {
        using var rig = new ChannelRig();
        var random = new Random(1234);
        byte[] request = new byte[Msg.Size];
        for (int i = 0; i < 3000; i++)
        {
            random.NextBytes(request);
            request[0] = (byte)(request[0] % 8);
            request[1] = (byte)(request[1] % 7);
            rig.Send(request);
        }
        AssertStillServing(rig);
    }

    private static void AssertStillServing(ChannelRig rig)
    {
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "alive", "yes"))));
        byte[] reply = rig.Send(Msg.Get(1, "alive"));
        Assert.Equal("yes", Msg.CString(reply.AsSpan(532)));
    }
}
