using System.Net.NetworkInformation;
using HvUtils.HostSim.Kvp;

namespace HvUtils.HostSim.Demo;

/// <summary>GET_IP_INFO as the host sees it: this machine's first NIC with an address, asked for by MAC (kvp.md §7).</summary>
public sealed class KvpIpDemo : IDemoStep
{
    public string Title => "KVP: the guest's IP configuration as the host sees it";

    public async Task RunAsync(DemoSession s)
    {
        NetworkInterface? nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n =>
            n.NetworkInterfaceType != NetworkInterfaceType.Loopback && n.GetPhysicalAddress().GetAddressBytes().Length == 6
            && n.GetIPProperties().UnicastAddresses.Count > 0);
        if (nic is null)
        {
            s.Say("This machine has no network interface with an address to ask about.");
            return;
        }
        string mac = string.Join(':', nic.GetPhysicalAddress().GetAddressBytes().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        HostIpInfo r = await new IpInfoHost(s.Simulator.Kvp).GetAsync(mac);
        if (r.Status != 0)
        {
            s.Say($"GET_IP_INFO for {mac} ({nic.Name}) was answered with status 0x{r.Status:X8}.");
            return;
        }
        s.Say($"GET_IP_INFO for {mac} ({nic.Name}), after the kernel's UTF-16 conversion:");
        s.Say($"  addresses {r.IpAddresses}  masks {r.SubNets}");
        s.Say($"  gateways {r.Gateways}  DNS {r.DnsServers}  DHCP {(r.DhcpEnabled != 0 ? "on" : "off")}");
    }
}
