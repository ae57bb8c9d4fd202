using System.Globalization;
using System.Text;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// <c>networkmanager</c>: a keyfile profile <c>hvutils-&lt;if&gt;.nmconnection</c> (mode 0600 — NetworkManager
/// ignores keyfiles readable by others) in the connection directory, then
/// <c>nmcli connection load &lt;file&gt;</c> and <c>nmcli connection up id hvutils-&lt;if&gt;</c>.
/// Unlike the C daemon's keyfile this one is a complete profile NetworkManager accepts as is (id, type,
/// autoconnect, one gateway per family with further gateways as default routes, <c>;</c>-terminated DNS).
/// </summary>
public sealed class NetworkManagerBackend(string connectionDirectory, string nmcli, CommandRunner runner) : FileBackend(runner)
{
    public override string Name => "networkmanager";

    public static string ConnectionId(IpSettings s) => "hvutils-" + s.InterfaceName;

    public override IpConfigurationResult Apply(IpSettings settings)
    {
        string path = Path.Combine(connectionDirectory, ConnectionId(settings) + ".nmconnection");
        return WriteThenRun(path, [(path, Render(settings), Mode0600)],
            (nmcli, ["connection", "load", path]),
            (nmcli, ["connection", "up", "id", ConnectionId(settings)]));
    }

    public static string Render(IpSettings s)
    {
        var f = new StringBuilder();
        f.Append("# Written by hvutilsd for a Hyper-V SET_IP_INFO request.\n");
        f.Append("[connection]\n");
        f.Append("id=").Append(ConnectionId(s)).Append('\n');
        f.Append("type=ethernet\n");
        f.Append("interface-name=").Append(s.InterfaceName).Append('\n');
        f.Append("autoconnect=true\n");
        f.Append("autoconnect-priority=100\n");
        f.Append("\n[ethernet]\n");
        f.Append("mac-address=").Append(s.Mac).Append('\n');
        foreach (bool ipv4 in new[] { true, false })
        {
            f.Append(ipv4 ? "\n[ipv4]\n" : "\n[ipv6]\n");
            int n = 0;
            foreach (AddressSetting a in s.Family(ipv4))
            {
                f.Append("address").Append(++n).Append('=').Append(IpText.Format(a.Address)).Append('/')
                    .Append(a.PrefixLength.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            string method = ipv4 ? (s.Dhcp ? "auto" : n > 0 ? "manual" : "disabled") : (n > 0 ? "manual" : "auto");
            f.Append("method=").Append(method).Append('\n');
            if (method == "disabled")
            {
                continue;
            }
            List<ServerSetting> gateways = s.GatewaysOf(ipv4).ToList();
            if (gateways.Count > 0)
            {
                f.Append("gateway=").Append(IpText.Format(gateways[0].Address)).Append('\n');
            }
            for (int i = 1; i < gateways.Count; i++)
            {
                f.Append("route").Append(i.ToString(CultureInfo.InvariantCulture)).Append('=')
                    .Append(ipv4 ? "0.0.0.0/0," : "::/0,").Append(IpText.Format(gateways[i].Address))
                    .Append(',').Append((100 + i).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            string dns = string.Concat(s.DnsOf(ipv4).Select(d => IpText.Format(d.Address) + ";"));
            if (dns.Length > 0)
            {
                f.Append("dns=").Append(dns).Append('\n');
            }
        }
        return f.ToString();
    }
}
