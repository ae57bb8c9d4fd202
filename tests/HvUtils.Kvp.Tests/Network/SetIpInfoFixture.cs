using System.Runtime.CompilerServices;
using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// A guest for SET_IP_INFO in a temp directory: a fake sysfs with eth0 (VMBus id <see cref="Guid"/>) and every
/// backend target and apply command (recorders logging to <see cref="CommandLog"/>) under the directory.
/// </summary>
public sealed class SetIpInfoFixture : IDisposable
{
    public const string Guid = "{0ab1c2d3-e4f5-4a6b-8c9d-0e1f2a3b4c5d}";

    public static readonly IpConfiguration Static = new(Guid, 0,
        "10.0.0.5;10.0.0.6;2001:db8::5", "255.255.255.0;255.255.0.0;64", "10.0.0.1;2001:db8::1", "10.0.0.2;2001:db8::2");

    /// <summary>DHCP for IPv4, static IPv6 with a leading space and a trailing separator, several gateways and servers.</summary>
    public static readonly IpConfiguration Dhcp = new(Guid, 1,
        "fd00::a; fd00::b", "64;112", "192.168.1.1;192.168.1.2;fd00::1;fd00::2;192.168.1.3;", "192.168.1.53;fd00::35;192.168.1.54");

    private readonly TempDirectory _dir = new();

    public SetIpInfoFixture()
    {
        new FakeSysfs(_dir.Combine("sys")).Add("eth0", "00:15:5d:00:01:01", 2, Guid).Add("eth1", "00:15:5d:00:01:02", 3);
        Options = new KvpOptions { PoolDirectory = _dir.Combine("state") };
        KvpNetworkOptions n = Options.Network;
        n.SysfsNetPath = _dir.Combine("sys");
        n.ScriptsDirectory = _dir.Combine("distro-scripts");
        n.BundledScriptsDirectory = _dir.Combine("bundled-scripts");
        n.NetworkManagerConnectionDirectory = _dir.Combine("etc", "NetworkManager", "system-connections");
        n.NetworkdConfigDirectory = _dir.Combine("etc", "systemd", "network");
        n.NetplanDirectory = _dir.Combine("etc", "netplan");
        n.NetworkManagerRunDirectory = _dir.Combine("run", "NetworkManager");
        n.NetworkdRunDirectory = _dir.Combine("run", "systemd", "netif");
        n.NmcliPath = TestScripts.Recorder(_dir.Combine("bin", "nmcli"), CommandLog);
        n.NetworkctlPath = TestScripts.Recorder(_dir.Combine("bin", "networkctl"), CommandLog);
        n.NetplanPath = TestScripts.Recorder(_dir.Combine("bin", "netplan"), CommandLog);
        n.CommandTimeout = TimeSpan.FromSeconds(10);
    }

    public KvpOptions Options { get; }

    public string CommandLog => _dir.Combine("commands.log");

    public string Path(params string[] parts) => _dir.Combine(parts);

    public string[] Commands() => File.Exists(CommandLog) ? File.ReadAllLines(CommandLog) : [];

    public IpConfigurationResult Set(IpConfiguration request, string backend)
    {
        Options.Network.Backend = backend;
        return new IpConfigurationService(Microsoft.Extensions.Options.Options.Create(Options)).SetIpInfo(request);
    }

    /// <summary>Every regular file under the temp directory except the fake sysfs and the test's own scripts.</summary>
    public List<string> WrittenFiles() =>
        Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(_dir.Combine("sys") + "/", StringComparison.Ordinal)
                && !f.StartsWith(_dir.Combine("bin") + "/", StringComparison.Ordinal)
                && !f.Contains("scripts/", StringComparison.Ordinal))
            .ToList();

    public static string Golden(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "Golden", name));

    public void Dispose() => _dir.Dispose();
}
