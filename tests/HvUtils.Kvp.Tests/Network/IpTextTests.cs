using System.Net;
using HvUtils.Kvp.Network;

namespace HvUtils.Kvp.Tests.Network;

public sealed class IpTextTests
{
    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.0.0", false)]
    [InlineData("10.0.0.05", false)]
    [InlineData("10.0.0.256", false)]
    [InlineData("10.0.0.5 ", false)]
    [InlineData(" 10.0.0.5", false)]
    [InlineData("0x0a.0.0.5", false)]
    [InlineData("10.0.0.5.6", false)]
    [InlineData("1234.0.0.5", false)]
    [InlineData("", false)]
    public void IPv4_is_parsed_like_inet_pton(string text, bool valid) =>
        Assert.Equal(valid, IpText.TryParseIPv4(text, out _));

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("::", true)]
    [InlineData("::ffff:10.0.0.5", true)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("[2001:db8::1]", false)]
    [InlineData("2001:db8::1/64", false)]
    [InlineData("::ffff:10.0.0", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("2001:db8:::1", false)]
    public void IPv6_is_parsed_like_inet_pton(string text, bool valid) =>
        Assert.Equal(valid, IpText.TryParseIPv6(text, out _));

    [Fact]
    public void Expand_writes_eight_groups_of_four_lower_case_digits() =>
        Assert.Equal("2001:0db8:0000:0000:0000:0000:00ab:0001", IpText.Expand(IPAddress.Parse("2001:DB8::AB:1")));

    [Theory]
    [InlineData("255.255.255.0", 24)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 32)]
    [InlineData("255.0.255.0", -1)]
    [InlineData("ffff:ffff:ffff:ffff::", 64)]
    public void Prefix_of_contiguous_masks(string mask, int prefix) =>
        Assert.Equal(prefix, IpText.PrefixOfMask(IPAddress.Parse(mask)));

    [Theory]
    [InlineData(24, "255.255.255.0")]
    [InlineData(0, "0.0.0.0")]
    [InlineData(32, "255.255.255.255")]
    [InlineData(17, "255.255.128.0")]
    public void IPv4_mask_of_prefix(int prefix, string mask) => Assert.Equal(mask, IpText.IPv4Mask(prefix));

    [Fact]
    public void Format_drops_the_zone() =>
        Assert.Equal("fe80::1", IpText.Format(IPAddress.Parse("fe80::1%2")));

    [Theory]
    [InlineData("00:15:5D:0A:01:FF", "00155D0A01FF")]
    [InlineData("00:15:5d:0a:01:ff", "00155D0A01FF")]
    [InlineData("00-15-5d-0a-01-ff", "00155D0A01FF")]
    [InlineData("00155d0a01ff", "00155D0A01FF")]
    [InlineData("00:15-5d:0a:01:ff", null)]
    [InlineData("0:15:5d:0a:01:ff", null)]
    [InlineData("00:15:5d:0a:01:fg", null)]
    [InlineData("00:15:5d:0a:01:ff:", null)]
    public void Mac_text_is_normalised(string text, string? digits) => Assert.Equal(digits, MacText.Normalize(text));
}
