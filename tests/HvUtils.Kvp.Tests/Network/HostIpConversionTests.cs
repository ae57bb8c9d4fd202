using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.HostSim.Kvp;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>The simulator's kernel conversions for GET/SET_IP_INFO (kvp.md §2.8, transport.md §10).</summary>
public sealed class HostIpConversionTests
{
    private static string At(byte[] m, int offset, int size)
    {
        ReadOnlySpan<byte> f = m.AsSpan(offset, size);
        int nul = f.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? f : f[..nul]);
    }

    [Fact]
    public void Get_request_carries_only_the_adapter_id_at_offset_4()
    {
        byte[] m = IpInfoConversion.GetRequest("00:15:5D:00:01:01");

        Assert.Equal(7432, m.Length);
        byte[] expected = new byte[7432];
        expected[0] = 4;
        Encoding.ASCII.GetBytes("00:15:5D:00:01:01", expected.AsSpan(4));
        Assert.Equal(expected, m);
    }

    [Fact]
    public void Set_request_places_every_field_at_its_offset()
    {
        byte[] m = IpInfoConversion.SetRequest(new HostIpInfo(0, "{guid}", 0, 1, "10.0.0.5", "255.255.255.0", "10.0.0.1", "10.0.0.2"));

        Assert.Equal(5, m[0]);
        Assert.Equal("{guid}", At(m, 4, 256));
        Assert.Equal(1, m[261]);
        Assert.Equal("10.0.0.5", At(m, 262, 2048));
        Assert.Equal("255.255.255.0", At(m, 2310, 2048));
        Assert.Equal("10.0.0.1", At(m, 4358, 1024));
        Assert.Equal("10.0.0.2", At(m, 5382, 2048));
    }

    [Fact]
    public void Host_strings_are_cut_at_the_kernel_limits_in_whole_characters()
    {
        byte[] m = IpInfoConversion.SetRequest(new HostIpInfo(0, new string('a', 300), 0, 0, "", "", new string('g', 600), "é" + new string('d', 1023)));

        Assert.Equal(128, At(m, 4, 256).Length);
        Assert.Equal(512, At(m, 4358, 1024).Length);
        Assert.Equal("é" + new string('d', 1022), At(m, 5382, 2048));
    }

    [Fact]
    public void Reply_is_converted_for_the_host()
    {
        byte[] reply = new byte[7432];
        Encoding.ASCII.GetBytes("00:15:5D:00:01:01", reply.AsSpan(4));
        reply[260] = 3;
        reply[261] = 1;
        Encoding.ASCII.GetBytes("10.0.0.5;fd00::5", reply.AsSpan(262));
        Encoding.ASCII.GetBytes("255.255.255.0;/64", reply.AsSpan(2310));
        Encoding.ASCII.GetBytes(new string('g', 600), reply.AsSpan(4358));
        Encoding.ASCII.GetBytes("10.0.0.2;", reply.AsSpan(5382));

        HostIpInfo r = IpInfoConversion.HostReply(reply);

        Assert.Equal(new HostIpInfo(0, "00:15:5D:00:01:01", 3, 1, "10.0.0.5;fd00::5", "255.255.255.0;/64", new string('g', 512), "10.0.0.2;"), r);
    }

    [Fact]
    public void Invalid_utf8_in_a_reply_makes_the_kernel_answer_E_FAIL()
    {
        byte[] reply = new byte[7432];
        reply[5382] = 0xC3;
        reply[5383] = 0x28;

        Assert.Equal(HvStatus.E_FAIL, IpInfoConversion.HostReply(reply).Status);
    }

    [Fact]
    public void A_failure_status_reaches_the_host_alone()
    {
        byte[] reply = new byte[7432];
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.GUID_NOTFOUND);
        Encoding.ASCII.GetBytes("10.0.0.5", reply.AsSpan(262));

        HostIpInfo r = IpInfoConversion.HostReply(reply);

        Assert.Equal(HvStatus.GUID_NOTFOUND, r.Status);
        Assert.Equal("", r.IpAddresses);
    }
}
