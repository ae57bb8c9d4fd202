using System.Diagnostics;
using HvUtils.Core.Channels;
using HvUtils.Kvp;
using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Benchmarks;

/// <summary>
/// GET_IP_INFO latency of NetworkInfoService on this machine's real interfaces, /sys/class/net, /proc/net
/// and resolv.conf (read only), natively and with the distro-style helper scripts (the C daemon's way,
/// ~125 ms per call there, quirks.md). Target: native &lt; 5 ms.
/// </summary>
public sealed class KvpIpInfoBenchmark : IBenchmark
{
    public string Name => "kvp-ip";

    public string Description => "GET_IP_INFO latency, native sources vs helper scripts [runs=5] [calls=2000] [MAC]";

    public Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int runs = args.Count > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        int calls = args.Count > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        string mac = args.Count > 2 ? args[2] : FirstMacWithAddress();
        using var dir = new TempDirectory();
        var native = new KvpOptions();
        var scripts = new KvpOptions();
        scripts.Network.UseHelperScripts = true;
        scripts.Network.ScriptsDirectory = dir.Path;
        // The reference examples of kvp.md §9 (hv_get_dns_info, hv_get_dhcp_info), as distros ship them.
        WriteScript(dir.Combine("hv_get_dns_info"), "#!/bin/sh\nawk '/^nameserver/ { print $2 }' /etc/resolv.conf 2>/dev/null\n");
        WriteScript(dir.Combine("hv_get_dhcp_info"),
            "#!/bin/sh\nif grep -q dhcp /etc/sysconfig/network-scripts/ifcfg-$1 2>/dev/null; then echo Enabled; else echo Disabled; fi\n");

        output.WriteLine($"adapter {mac}");
        Measure(output, "native", new NetworkInfoService(Options.Create(native)), mac, runs, calls);
        Measure(output, "scripts", new NetworkInfoService(Options.Create(scripts)), mac, runs, Math.Max(20, calls / 20));
        return Task.CompletedTask;
    }

    private static void Measure(TextWriter output, string label, NetworkInfoService service, string mac, int runs, int calls)
    {
        IpInfoResult sample = service.GetIpInfo(mac);
        output.WriteLine($"{label}: status 0x{sample.Status:X8} ip_addr '{sample.IpAddresses}' sub_net '{sample.SubNets}' " +
            $"gate_way '{sample.Gateways}' dns_addr '{sample.DnsServers}' dhcp {sample.DhcpEnabled}");
        if (sample.Status != HvStatus.S_OK)
        {
            throw new InvalidOperationException($"no interface with MAC {mac}");
        }
        var p50s = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var stats = new LatencyStats(calls);
            var total = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                service.GetIpInfo(mac);
                stats.Add(Stopwatch.GetTimestamp() - start);
            }
            p50s.Add(stats.Percentile(50));
            output.WriteLine($"{label} run {run + 1}: {stats.Summary(total.Elapsed)}");
        }
        p50s.Sort();
        output.WriteLine($"{label}: median p50 of {runs} runs {p50s[runs / 2] / 1000:N3} ms");
    }

    private static string FirstMacWithAddress()
    {
        foreach (string dir in Directory.GetDirectories("/sys/class/net").Order())
        {
            string name = Path.GetFileName(dir);
            string mac = File.ReadAllText(Path.Combine(dir, "address")).Trim();
            if (name != "lo" && mac != "00:00:00:00:00:00" && System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                    .Any(n => n.Name == name && n.GetIPProperties().UnicastAddresses.Count > 0))
            {
                return mac.ToUpperInvariant();
            }
        }
        throw new InvalidOperationException("no interface with an address; pass a MAC");
    }

    private static void WriteScript(string path, string content)
    {
        File.WriteAllText(path, content);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
