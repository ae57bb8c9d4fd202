using System.Text;
using HvUtils.Kvp.Pools;
using HvUtils.Kvp.Wire;

namespace HvUtils.Kvp.Tests;

/// <summary>Sizes, offsets and golden byte vectors of hv_kvp_msg in both directions (spec/kvp.md §2, §3).</summary>
public sealed class KvpCodecTests
{
    [Fact]
    public void Sizes_and_offsets_match_the_uapi_header()
    {
        Assert.Equal(7432, KvpLayout.MessageSize);
        Assert.Equal(4 + KvpLayout.BodySize, KvpLayout.MessageSize);
        Assert.Equal(7428, KvpLayout.BodySize);
        // hv_kvp_ipaddr_value is the largest member: 7426 bytes from offset 4, then 2 bytes of union padding.
        Assert.Equal(4 + 7426, KvpLayout.IpValueEnd);
        Assert.Equal(KvpLayout.DnsAddress + KvpLayout.DnsAddressSize, KvpLayout.IpValueEnd);
        Assert.Equal((16, 528, 8, 12, 4), (KvpLayout.Key, KvpLayout.Value, KvpLayout.KeySize, KvpLayout.ValueSize, KvpLayout.ValueType));
        Assert.Equal((4, 8, 12, 16, 20, 532), (KvpLayout.EnumIndex, KvpLayout.EnumValueType, KvpLayout.EnumKeySize, KvpLayout.EnumValueSize, KvpLayout.EnumKey, KvpLayout.EnumValue));
        Assert.Equal((4, 8), (KvpLayout.DeleteKeySize, KvpLayout.DeleteKey));
        Assert.Equal((4, 260, 261, 262, 2310, 4358, 5382), (KvpLayout.AdapterId, KvpLayout.AddressFamily, KvpLayout.DhcpEnabled, KvpLayout.IpAddress, KvpLayout.Subnet, KvpLayout.Gateway, KvpLayout.DnsAddress));
        Assert.Equal(2560, KvpPoolFile.RecordSize);
        // The 2572-byte hv_kvp_exchg_msg_value ends where the SET/GET body ends.
        Assert.Equal(4 + 2572, KvpLayout.Value + KvpLayout.MaxValueSize);
        Assert.Equal(4 + 2576, KvpLayout.EnumValue + KvpLayout.MaxValueSize);
    }

    [Fact]
    public void Registration_message_is_opcode_100_and_zeros()
    {
        using var rig = new ChannelRig();
        byte[] m = new byte[Msg.Size];
        Assert.Equal(Msg.Size, rig.Channel.WriteRegistration(m));
        byte[] expected = new byte[Msg.Size];
        expected[0] = 100;
        Assert.Equal(expected, m);
        byte[] reply = Msg.New(100, 0).Str(4, "3.1");
        Assert.True(rig.Channel.AcceptRegistrationReply(reply));
        Assert.Equal("3.1", rig.Auto.ValueText(1));
        Assert.False(rig.Channel.AcceptRegistrationReply(Msg.New(4, 0)));
    }

    [Fact]
    public void Auto_enumerate_index_9_golden_reply()
    {
        // spec/kvp.md §3.1: request [0]=03 [1]=02 [4..7]=09 00 00 00.
        byte[] request = new byte[Msg.Size];
        request[0] = 0x03;
        request[1] = 0x02;
        request[4] = 0x09;
        using var rig = new ChannelRig();
        byte[] reply = rig.Send(request);
        byte[] expected = new byte[Msg.Size];
        "ProcessorArchitecture\0"u8.CopyTo(expected.AsSpan(20));
        "x86_64\0"u8.CopyTo(expected.AsSpan(532));
        Assert.Equal(expected, reply);
    }

    [Fact]
    public void Set_golden_request_writes_the_C_daemon_record_and_replies_status_only()
    {
        using var rig = new ChannelRig();
        // 01 01 00 00 | value_type 0 | key_size 5 | value_size 4 | "Key1\0" @16 | "abc\0" @528
        byte[] request = new byte[Msg.Size];
        request[0] = 1;
        request[1] = 1;
        request[8] = 5;
        request[12] = 4;
        "Key1"u8.CopyTo(request.AsSpan(16));
        "abc"u8.CopyTo(request.AsSpan(528));
        byte[] reply = rig.Send(request);
        Assert.Equal(new byte[Msg.Size], reply);
        Assert.Equal(Msg.Record("Key1", "abc"), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Get_reply_puts_the_value_at_532_with_528_to_531_zero()
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(0), Msg.Record("VirtualMachineName", "vm-01"));
        byte[] reply = rig.Send(Msg.Get(0, "VirtualMachineName"));
        byte[] expected = new byte[Msg.Size];
        "vm-01\0"u8.CopyTo(expected.AsSpan(532));
        Assert.Equal(expected, reply);
    }

    [Fact]
    public void Enumerate_golden_reply_of_a_file_record()
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), [.. Msg.Record("A", "1"), .. Msg.Record("Bee", "two")]);
        byte[] reply = rig.Send(Msg.Enumerate(1, 1));
        byte[] expected = new byte[Msg.Size];
        "Bee\0"u8.CopyTo(expected.AsSpan(20));
        "two\0"u8.CopyTo(expected.AsSpan(532));
        Assert.Equal(expected, reply);
    }

    [Fact]
    public void Status_only_replies_are_four_bytes_of_status_then_zeros()
    {
        using var rig = new ChannelRig();
        byte[] reply = rig.Send(Msg.Enumerate(1, 0));
        byte[] expected = new byte[Msg.Size];
        new byte[] { 0x03, 0x01, 0x07, 0x80 }.CopyTo(expected, 0);
        Assert.Equal(expected, reply);
    }

    [Fact]
    public void Get_ip_info_request_decodes_and_reply_encodes_at_the_spec_offsets()
    {
        using var rig = new ChannelRig();
        byte[] request = Msg.New(4, 0).Str(4, "00:15:5D:00:01:02");
        request[260] = 0x02;
        byte[] reply = rig.Send(request);
        Assert.Equal("00:15:5D:00:01:02", rig.IpInfo.LastAdapter);
        byte[] expected = new byte[Msg.Size];
        "00:15:5D:00:01:02\0"u8.CopyTo(expected.AsSpan(4));
        expected[260] = 3;
        expected[261] = 1;
        "10.0.0.4;fe80::1\0"u8.CopyTo(expected.AsSpan(262));
        "255.255.255.0;/64\0"u8.CopyTo(expected.AsSpan(2310));
        "10.0.0.1;\0"u8.CopyTo(expected.AsSpan(4358));
        "10.0.0.2;\0"u8.CopyTo(expected.AsSpan(5382));
        Assert.Equal(expected, reply);
    }

    [Fact]
    public void Set_ip_info_request_decodes_every_field_and_returns_the_provider_status()
    {
        using var rig = new ChannelRig();
        byte[] request = Msg.New(5, 0).Str(4, "{f5bee48c-d7d5-4bb3-a1a4-4bd68d4e6e43}")
            .Str(262, "192.0.2.5;2001:db8::5").Str(2310, "255.255.255.0;64").Str(4358, "192.0.2.1").Str(5382, "192.0.2.53");
        request[260] = 3;
        request[261] = 1;
        byte[] reply = rig.Send(request);
        Assert.Equal(0x80041002u, Msg.Status(reply));
        Assert.Equal(new byte[Msg.Size - 4], reply[4..]);
        Assert.Equal(new IpInfo(0, "{f5bee48c-d7d5-4bb3-a1a4-4bd68d4e6e43}", 3, 1, "192.0.2.5;2001:db8::5", "255.255.255.0;64", "192.0.2.1", "192.0.2.53"), rig.IpInfo.LastSet);
    }

    [Fact]
    public void Failed_ip_info_reply_carries_only_the_status()
    {
        using var rig = new ChannelRig();
        rig.IpInfo.Answer = IpInfo.Failure("x");
        byte[] reply = rig.Send(Msg.New(4, 0).Str(4, "AA:BB:CC:DD:EE:FF"));
        byte[] expected = new byte[Msg.Size];
        new byte[] { 0x05, 0x40, 0x00, 0x80 }.CopyTo(expected, 0);
        Assert.Equal(expected, reply);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("h\u00e9llo \U0001F600", "h\u00e9llo \U0001F600")]
    public void Valid_utf8_is_copied_unchanged(string text, string expected)
    {
        byte[] field = new byte[64];
        int n = Utf8Text.WriteSanitized(Encoding.UTF8.GetBytes(text), field);
        Assert.Equal(expected, Encoding.UTF8.GetString(field, 0, n));
        Assert.Equal(0, field[n]);
    }

    [Fact]
    public void Invalid_utf8_is_replaced_and_a_character_that_does_not_fit_is_dropped_whole()
    {
        byte[] field = new byte[8];
        int n = Utf8Text.WriteSanitized([0x41, 0xFF, 0xC3, 0x42, 0xE2, 0x82, 0xAC, 0xE2, 0x82, 0xAC], field);
        Assert.Equal("A??B\u20ac", Encoding.UTF8.GetString(field, 0, n));
        Assert.Equal(7, n);
        Assert.Equal(0, field[7]);
    }
}
