using HvUtils.Core.Channels;
using HvUtils.Kvp.Network;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>Every malformed SET_IP_INFO class is rejected with the kvp.md §8.6 status and nothing written or run.</summary>
public sealed class SetIpInfoValidationTests : IDisposable
{
    private readonly SetIpInfoFixture _guest = new();

    public static TheoryData<string, IpConfiguration, uint> Malformed()
    {
        IpConfiguration ok = SetIpInfoFixture.Static;
        return new TheoryData<string, IpConfiguration, uint>
        {
            { "unknown adapter GUID", ok with { AdapterId = "{00000000-0000-0000-0000-000000000000}" }, HvStatus.GUID_NOTFOUND },
            { "GUID of a non-VMBus interface", ok with { AdapterId = "" }, HvStatus.GUID_NOTFOUND },
            { "GUID in the wrong case", ok with { AdapterId = SetIpInfoFixture.Guid.ToUpperInvariant() }, HvStatus.GUID_NOTFOUND },
            { "address neither IPv4 nor IPv6", ok with { IpAddresses = "10.0.0.5;hello;2001:db8::5" }, HvStatus.INVALIDARG },
            { "IPv4 octet out of range", ok with { IpAddresses = "10.0.0.300;10.0.0.6;2001:db8::5" }, HvStatus.INVALIDARG },
            { "three-part IPv4", ok with { IpAddresses = "10.0.5;10.0.0.6;2001:db8::5" }, HvStatus.INVALIDARG },
            { "IPv6 with a zone", ok with { IpAddresses = "10.0.0.5;10.0.0.6;fe80::1%eth0" }, HvStatus.INVALIDARG },
            { "blank address element", ok with { IpAddresses = "10.0.0.5;  ;2001:db8::5" }, HvStatus.INVALIDARG },
            { "bad gateway", ok with { Gateways = "10.0.0.1;gateway" }, HvStatus.INVALIDARG },
            { "bad DNS server", ok with { DnsServers = "10.0.0.2;1.2.3.4.5" }, HvStatus.INVALIDARG },
            { "fewer subnets than addresses", ok with { SubNets = "255.255.255.0;255.255.0.0" }, HvStatus.E_FAIL },
            { "more subnets than addresses", ok with { SubNets = "255.255.255.0;255.255.0.0;64;64" }, HvStatus.E_FAIL },
            { "non-contiguous IPv4 mask", ok with { SubNets = "255.0.255.0;255.255.0.0;64" }, HvStatus.E_FAIL },
            { "prefix length for an IPv4 address", ok with { SubNets = "24;255.255.0.0;64" }, HvStatus.E_FAIL },
            { "IPv6 prefix over 128", ok with { SubNets = "255.255.255.0;255.255.0.0;129" }, HvStatus.E_FAIL },
            { "IPv6 prefix not a number", ok with { SubNets = "255.255.255.0;255.255.0.0;sixty" }, HvStatus.E_FAIL },
            { "dhcp_enabled neither 0 nor 1", ok with { DhcpEnabled = 2 }, HvStatus.E_FAIL },
            { "elements after an empty one", ok with { DnsServers = "10.0.0.2;;10.0.0.3" }, HvStatus.E_FAIL },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Is_rejected_before_anything_is_written(string why, IpConfiguration request, uint status)
    {
        foreach (string backend in new[] { "legacy", "networkmanager", "networkd", "netplan" })
        {
            TestScripts.Recorder(_guest.Path("distro-scripts", "hv_set_ifconfig"), _guest.CommandLog);

            IpConfigurationResult r = _guest.Set(request, backend);

            Assert.True(status == r.Status, $"{why} via {backend}: status 0x{r.Status:X8}, expected 0x{status:X8} ({r.Detail})");
            Assert.Empty(_guest.WrittenFiles());
            Assert.Empty(_guest.Commands());
        }
    }

    [Fact]
    public void An_unreadable_mac_is_E_FAIL_with_nothing_written()
    {
        File.Delete(_guest.Path("sys", "eth0", "address"));

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "networkd");

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Empty(_guest.WrittenFiles());
    }

    [Fact]
    public void A_configuration_without_any_address_is_valid()
    {
        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static with { IpAddresses = "", SubNets = "", Gateways = "", DnsServers = "" }, "networkd");

        Assert.Equal(HvStatus.S_OK, r.Status);
    }

    public void Dispose() => _guest.Dispose();
}
