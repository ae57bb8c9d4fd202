using System.Globalization;
using System.Text;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// <c>networkd</c>: <c>05-hvutils-&lt;if&gt;.network</c> (mode 0644; the 05- prefix sorts before distro and
/// netplan-generated files, and networkd uses the first file that matches), then <c>networkctl reload</c>
/// and <c>networkctl reconfigure &lt;if&gt;</c>.
/// </summary>
public sealed class NetworkdBackend(string configDirectory, string networkctl, CommandRunner runner) : FileBackend(runner)
{
    public override string Name => "networkd";

    public override IpConfigurationResult Apply(IpSettings settings)
    {
        string path = Path.Combine(configDirectory, $"05-hvutils-{settings.InterfaceName}.network");
        return WriteThenRun(path, [(path, Render(settings), Mode0644)],
            (networkctl, ["reload"]),
            (networkctl, ["reconfigure", settings.InterfaceName]));
    }

    public static string Render(IpSettings s)
    {
        var f = new StringBuilder();
        f.Append("# Written by hvutilsd for a Hyper-V SET_IP_INFO request.\n");
        f.Append("[Match]\n");
        f.Append("MACAddress=").Append(s.MacLower).Append('\n');
        f.Append("Name=").Append(s.InterfaceName).Append('\n');
        f.Append("\n[Network]\n");
        f.Append("DHCP=").Append(s.Dhcp ? "ipv4" : "no").Append('\n');
        foreach (AddressSetting a in s.Addresses)
        {
            f.Append("Address=").Append(IpText.Format(a.Address)).Append('/')
                .Append(a.PrefixLength.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (ServerSetting g in s.Gateways)
        {
            f.Append("Gateway=").Append(IpText.Format(g.Address)).Append('\n');
        }
        foreach (ServerSetting d in s.DnsServers)
        {
            f.Append("DNS=").Append(IpText.Format(d.Address)).Append('\n');
        }
        return f.ToString();
    }
}
