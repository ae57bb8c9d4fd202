using HvUtils.Core.Channels;
using HvUtils.Kvp.Network;
using HvUtils.Testing;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>GET_IP_INFO against real links, addresses and routes in a namespace (kvp.md §7).</summary>
public sealed class GetIpInfoTests(GuestNetwork network) : IClassFixture<GuestNetwork>, IDisposable
{
    private readonly TempDirectory _dir = new();

    private KvpOptions Options()
    {
        network.Build();
        KvpOptions o = network.Options(_dir.Path);
        int eth0 = network.Namespace.IfIndex("eth0");
        // systemd-resolved per-link servers (with the port / SNI decorations it writes) and a networkd lease.
        Write("resolve/netif/" + eth0, "# This is private data. Do not parse.\nLLMNR=yes\nSERVERS=10.1.0.53 [fd01::53]:53#dns.example\n");
        Write("netif/leases/" + eth0, "# This is private data. Do not parse.\nADDRESS=10.1.0.5\nNETMASK=255.255.255.0\n");
        Write("resolv.conf", "# fixture\nnameserver 127.0.0.53\noptions edns0\n");
        Write("resolve/resolv.conf", "nameserver 192.0.2.53\nnameserver 192.0.2.54\n");
        return o;
    }

    private void Write(string relative, string content)
    {
        string path = _dir.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [RootFact("network namespaces")]
    public void Eth0_is_reported_field_by_field()
    {
        IpInfoResult r = network.Get(Options(), GuestNetwork.Eth0Mac);

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal(GuestNetwork.Eth0Mac, r.AdapterId);
        Assert.Equal(AddressFamilyFlags.IPv4 | AddressFamilyFlags.IPv6, r.AddressFamily);
        Assert.Equal("10.1.0.5;10.1.0.6;fd01::5", r.IpAddresses);
        Assert.Equal("255.255.255.0;255.255.0.0;/64", r.SubNets);
        Assert.Equal("10.1.0.1;fd01::1;", r.Gateways);
        Assert.Equal("10.1.0.53;fd01::53;", r.DnsServers);
        Assert.Equal(1, r.DhcpEnabled);
    }

    [RootFact("network namespaces")]
    public void A_name_sharing_a_prefix_is_not_confused()
    {
        KvpOptions o = Options();
        IpInfoResult eth01 = network.Get(o, GuestNetwork.Eth01Mac);
        IpInfoResult eth0 = network.Get(o, GuestNetwork.Eth0Mac);

        Assert.Equal(HvStatus.S_OK, eth01.Status);
        Assert.Equal("10.2.0.5", eth01.IpAddresses);
        Assert.Equal("255.255.255.0", eth01.SubNets);
        Assert.Equal("10.2.0.1;", eth01.Gateways);
        Assert.Equal(AddressFamilyFlags.IPv4, eth01.AddressFamily);
        // No per-link DNS for eth01: resolv.conf points at the resolved stub, so its uplink file is used.
        Assert.Equal("192.0.2.53;192.0.2.54;", eth01.DnsServers);
        Assert.Equal(0, eth01.DhcpEnabled);
        Assert.DoesNotContain("10.2.0.5", eth0.IpAddresses);
        Assert.DoesNotContain("10.2.0.1", eth0.Gateways);
    }

    [RootTheory("network namespaces")]
    [InlineData("00:15:5d:00:01:01")]
    [InlineData("00-15-5D-00-01-01")]
    [InlineData("00-15-5d-00-01-01")]
    public void Lower_case_and_dash_macs_match(string mac)
    {
        IpInfoResult r = network.Get(Options(), mac);

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal("10.1.0.5;10.1.0.6;fd01::5", r.IpAddresses);
        Assert.Equal(mac, r.AdapterId);
    }

    [RootFact("network namespaces")]
    public void The_address_less_vf_listed_first_is_skipped()
    {
        KvpOptions o = Options();
        List<string> order = network.Sysfs.Order();
        Assert.True(order.IndexOf("enP1s1") < order.IndexOf("eth0"), "precondition: the VF comes first in directory order");

        IpInfoResult r = network.Get(o, GuestNetwork.Eth0Mac);

        Assert.Equal("10.1.0.5;10.1.0.6;fd01::5", r.IpAddresses);
    }

    [RootFact("network namespaces")]
    public void Only_an_address_less_match_gives_success_with_empty_lists()
    {
        IpInfoResult r = network.Get(Options(), GuestNetwork.LonelyMac);

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal(AddressFamilyFlags.None, r.AddressFamily);
        Assert.Equal("", r.IpAddresses);
        Assert.Equal("", r.SubNets);
        Assert.Equal("", r.Gateways);
    }

    [RootTheory("network namespaces")]
    [InlineData("00:15:5D:00:01:7F")]
    [InlineData("00:15:5D:00:01")]
    [InlineData("00:15:5D:00:01:01:")]
    [InlineData("00:15-5D:00:01:01")]
    [InlineData("")]
    public void Unknown_or_malformed_mac_fails(string mac)
    {
        IpInfoResult r = network.Get(Options(), mac);

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Equal("", r.IpAddresses);
    }

    [RootFact("network namespaces")]
    public void Auto_pool_addresses_list_every_non_loopback_address()
    {
        KvpOptions o = Options();
        network.Namespace.Ip("link", "set", "lo", "up");
        (string v4, string v6) = network.Namespace.Run(() =>
            new NetworkInfoService(Microsoft.Extensions.Options.Options.Create(o)).GetNetworkAddresses());

        Assert.Equal("10.1.0.5;10.1.0.6;10.2.0.5", v4);
        Assert.Equal("fd01::5", v6);
    }

    [RootFact("network namespaces")]
    public void Helper_scripts_run_directly_with_the_interface_name()
    {
        KvpOptions o = Options();
        o.Network.UseHelperScripts = true;
        string log = _dir.Combine("scripts.log");
        TestScripts.WriteExecutable(_dir.Combine("scripts", "hv_get_dns_info"),
            $"#!/bin/sh\necho \"dns $*\" >> {log}\nprintf '10.9.9.9\\nfd09::9\\n'\n");
        TestScripts.WriteExecutable(_dir.Combine("scripts", "hv_get_dhcp_info"),
            $"#!/bin/sh\necho \"dhcp $*\" >> {log}\necho 'Enabled'\n");

        IpInfoResult r = network.Get(o, GuestNetwork.Eth01Mac);

        Assert.Equal("10.9.9.9;fd09::9;", r.DnsServers);
        Assert.Equal(1, r.DhcpEnabled);
        Assert.Equal(["dns eth01", "dhcp eth01"], File.ReadAllLines(log));
    }

    [RootFact("network namespaces")]
    public void Missing_helper_scripts_leave_dns_empty_and_dhcp_off()
    {
        KvpOptions o = Options();
        o.Network.UseHelperScripts = true;

        IpInfoResult r = network.Get(o, GuestNetwork.Eth0Mac);

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal("", r.DnsServers);
        Assert.Equal(0, r.DhcpEnabled);
        Assert.Equal("10.1.0.1;fd01::1;", r.Gateways);
    }

    public void Dispose() => _dir.Dispose();
}
