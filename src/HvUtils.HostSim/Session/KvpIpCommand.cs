using System.Globalization;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Kvp;

namespace HvUtils.HostSim.Session;

/// <summary>
/// <c>hvsim ctl kvp-ip get MAC</c> and <c>kvp-ip set GUID dhcp|static IPS SUBNETS GATEWAYS DNS</c>: the host's
/// GET/SET_IP_INFO (kvp.md §7, §8) through the kernel's conversions. Empty lists are written as <c>-</c>.
/// </summary>
public sealed class KvpIpCommand : ISimCommand
{
    public string Name => "kvp-ip";

    public string Usage => "kvp-ip get MAC | kvp-ip set GUID dhcp|static IPS SUBNETS GATEWAYS DNS   (lists ';'-separated, '-' = empty)";

    public async Task<int> RunAsync(HostSimulator simulator, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var host = new IpInfoHost(simulator.Kvp);
        try
        {
            if (args.Count == 2 && args[0] == "get")
            {
                HostIpInfo r = await host.GetAsync(args[1]);
                output.WriteLine($"status 0x{r.Status:X8}");
                if (r.Status == 0)
                {
                    output.WriteLine($"adapter_id   {r.AdapterId}");
                    output.WriteLine($"addr_family  0x{r.AddressFamily:X2}");
                    output.WriteLine($"dhcp_enabled {r.DhcpEnabled}");
                    output.WriteLine($"ip_addr      {r.IpAddresses}");
                    output.WriteLine($"sub_net      {r.SubNets}");
                    output.WriteLine($"gate_way     {r.Gateways}");
                    output.WriteLine($"dns_addr     {r.DnsServers}");
                }
                return r.Status == 0 ? 0 : 1;
            }
            if (args.Count == 7 && args[0] == "set" && args[2] is "dhcp" or "static")
            {
                static string List(string s) => s == "-" ? "" : s;
                uint status = await host.SetAsync(new HostIpInfo(0, args[1], 0, args[2] == "dhcp" ? (byte)1 : (byte)0,
                    List(args[3]), List(args[4]), List(args[5]), List(args[6])));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"status 0x{status:X8}"));
                return status == 0 ? 0 : 1;
            }
        }
        catch (HostRequestException e)
        {
            output.WriteLine($"the kernel would answer the host HV_E_FAIL: {e.Message}");
            return 1;
        }
        output.WriteLine("usage: " + Usage);
        return 2;
    }
}
