using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Fcopy.Uio;

namespace HvUtils.Fcopy.Tests;

public class WireTests
{
    private static byte[] Utf16Field(string s)
    {
        byte[] f = new byte[520];
        Encoding.Unicode.GetBytes(s).CopyTo(f, 0);
        return f;
    }

    private static string Convert16(byte[] field)
    {
        byte[] out8 = new byte[520];
        int n = FcopyNames.Utf16ToUtf8(field, out8);
        Assert.Equal(0, out8[n]);
        return Encoding.UTF8.GetString(out8, 0, n);
    }

    [Fact]
    public void Utf16_names_decode_non_ascii_and_surrogate_pairs_exactly()
    {
        // The UIO C daemon turns these into 'X' (quirks.md).
        Assert.Equal("Übergröße-日本語-😀.txt", Convert16(Utf16Field("Übergröße-日本語-😀.txt")));
        byte[] golden = new byte[520];
        Convert.FromHexString("3DD800DE").CopyTo(golden, 0); // U+1F600 as UTF-16LE surrogate pair
        byte[] out8 = new byte[520];
        Assert.Equal(4, FcopyNames.Utf16ToUtf8(golden, out8));
        Assert.Equal(Convert.FromHexString("F09F9880"), out8[..4]);
    }

    [Fact]
    public void Unpaired_surrogates_are_dropped_and_nul_ends_the_name()
    {
        byte[] f = new byte[520];
        Convert.FromHexString("410000D842000000430000").CopyTo(f, 0); // 'A', lone D800, 'B', NUL, 'C'
        Assert.Equal("AB", Convert16(f));
    }

    [Fact]
    public void Names_are_capped_at_259_utf8_bytes_without_splitting_a_character()
    {
        string s = new string('a', 258) + "é"; // 258 + 2 bytes: the é does not fit
        Assert.Equal(new string('a', 258), Convert16(Utf16Field(s)));
        byte[] full = new byte[520];
        for (int i = 0; i < 260; i++)
        {
            full[2 * i] = (byte)'b'; // no NUL at all: 260 units, capped at 259 bytes
        }
        Assert.Equal(new string('b', 259), Convert16(full));
    }

    [Fact]
    public void Negotiation_reply_matches_the_spec_example()
    {
        byte[] p = IcMessage.Request(0, 3, 0, IcMessage.NegotiateBody([(3, 0)], [(1, 1)]), 5);
        Assert.Equal(44, p.Length); // B.9 step 5: 44-byte negotiate payload
        Assert.True(IcMessage.Negotiate(p));
        Assert.Equal(Convert.FromHexString("01000100000000000300000001000100"), p[28..44]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(20)));
        Assert.Equal(0x05, p[25]);
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(p.AsSpan(18)));
        Assert.Equal(5, p[24]); // transaction echoed
    }

    [Theory]
    [InlineData(new ushort[] { 1, 0, 3, 0 }, new ushort[] { 1, 0, 1, 1 }, true)] // 3.0 among several, 1.1 second
    [InlineData(new ushort[] { 1, 0 }, new ushort[] { 1, 1 }, false)] // no framework 3.0
    [InlineData(new ushort[] { 3, 0 }, new ushort[] { 1, 0 }, false)] // fcopy 1.0 only
    [InlineData(new ushort[] { 3, 0 }, new ushort[] { 2, 0, 1, 1 }, true)]
    public void Negotiation_needs_framework_3_0_and_fcopy_1_1(ushort[] frameworks, ushort[] messages, bool match)
    {
        var f = Enumerable.Range(0, frameworks.Length / 2).Select(i => (frameworks[2 * i], frameworks[2 * i + 1])).ToArray();
        var m = Enumerable.Range(0, messages.Length / 2).Select(i => (messages[2 * i], messages[2 * i + 1])).ToArray();
        byte[] p = IcMessage.Request(0, 3, 0, IcMessage.NegotiateBody(f, m), 0);
        Assert.Equal(match, IcMessage.Negotiate(p));
        Assert.Equal(match ? HvStatus.S_OK : HvStatus.E_FAIL, BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(20)));
        Assert.Equal(match ? 1 : 0, BinaryPrimitives.ReadUInt16LittleEndian(p.AsSpan(28)));
    }

    [Fact]
    public void Negotiation_with_counts_beyond_the_payload_is_refused()
    {
        byte[] p = IcMessage.Request(0, 3, 0, IcMessage.NegotiateBody([(3, 0)], [(1, 1)]), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(28), 50); // claims 50 framework versions
        Assert.False(IcMessage.Negotiate(p));
        byte[] tiny = new byte[30]; // < 32: no counters at all
        Assert.False(IcMessage.Negotiate(tiny));
        Assert.Equal(HvStatus.E_FAIL, BinaryPrimitives.ReadUInt32LittleEndian(tiny.AsSpan(20)));
    }
}
