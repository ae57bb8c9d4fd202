using System.Globalization;
using System.Text;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// <c>netplan</c>: <c>90-hvutils-&lt;if&gt;.yaml</c> (mode 0600, as netplan warns about readable files; the 90-
/// prefix sorts after cloud-init's 50- file so its scalar keys for the same interface are overridden), then
/// <c>netplan apply</c>. Extra default gateways get increasing metrics (netplan rejects two default routes
/// with the same metric).
/// </summary>
public sealed class NetplanBackend(string netplanDirectory, string netplan, CommandRunner runner) : FileBackend(runner)
{
    public override string Name => "netplan";

    public override IpConfigurationResult Apply(IpSettings settings)
    {
        string path = Path.Combine(netplanDirectory, $"90-hvutils-{settings.InterfaceName}.yaml");
        return WriteThenRun(path, [(path, Render(settings), Mode0600)], (netplan, ["apply"]));
    }

    public static string Render(IpSettings s)
    {
        var f = new StringBuilder();
        f.Append("# Written by hvutilsd for a Hyper-V SET_IP_INFO request.\n");
        f.Append("network:\n  version: 2\n  ethernets:\n");
        f.Append("    ").Append(s.InterfaceName).Append(":\n");
        f.Append("      match:\n        macaddress: \"").Append(s.MacLower).Append("\"\n");
        f.Append("      dhcp4: ").Append(s.Dhcp ? "true" : "false").Append('\n');
        if (s.Addresses.Count > 0)
        {
            f.Append("      addresses:\n");
            foreach (AddressSetting a in s.Addresses)
            {
                f.Append("        - \"").Append(IpText.Format(a.Address)).Append('/')
                    .Append(a.PrefixLength.ToString(CultureInfo.InvariantCulture)).Append("\"\n");
            }
        }
        if (s.Gateways.Count > 0)
        {
            f.Append("      routes:\n");
            foreach (bool ipv4 in new[] { true, false })
            {
                int i = 0;
                foreach (ServerSetting g in s.GatewaysOf(ipv4))
                {
                    f.Append("        - to: \"default\"\n          via: \"").Append(IpText.Format(g.Address)).Append("\"\n");
                    f.Append("          metric: ").Append((100 + i++).ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
        if (s.DnsServers.Count > 0)
        {
            f.Append("      nameservers:\n        addresses:\n");
            foreach (ServerSetting d in s.DnsServers)
            {
                f.Append("          - \"").Append(IpText.Format(d.Address)).Append("\"\n");
            }
        }
        return f.ToString();
    }
}
