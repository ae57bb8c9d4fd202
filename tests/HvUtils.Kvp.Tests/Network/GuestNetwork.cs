using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// The guest network the GET_IP_INFO tests query, built once per test class inside a fresh namespace:
/// <list type="bullet">
/// <item>eth0 (00:15:5D:00:01:01): 10.1.0.5/24, 10.1.0.6/16, fd01::5/64; default routes via 10.1.0.1 and fd01::1;</item>
/// <item>eth01 (00:15:5D:00:01:02): 10.2.0.5/24 only, default route via 10.2.0.1 with a higher metric
/// — its name starts with "eth0", the C daemon's prefix match mixes the two;</item>
/// <item>enP1s1: an SR-IOV-VF-like link with eth0's MAC and no address;</item>
/// <item>vfonly (00:15:5D:00:01:09): no address at all.</item>
/// </list>
/// The fake sysfs (on tmpfs) lists enP1s1 before eth0 so the address-less match is the first one seen.
/// </summary>
public sealed class GuestNetwork : IDisposable
{
    public const string Eth0Mac = "00:15:5D:00:01:01";
    public const string Eth01Mac = "00:15:5D:00:01:02";
    public const string LonelyMac = "00:15:5D:00:01:09";
    public const string Eth0Guid = "{f1e2d3c4-0000-4000-8000-000000000001}";

    private NetworkNamespace? _ns;
    private readonly string _shm = Directory.CreateTempSubdirectory("hvu-net-").FullName;

    public GuestNetwork()
    {
        // tmpfs lists entries in a fixed creation-dependent order (unlike ext4's hash order).
        Root = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(_shm)) : _shm;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public NetworkNamespace Namespace => _ns ?? throw new InvalidOperationException("call Build() first");

    public FakeSysfs Sysfs { get; private set; } = null!;

    /// <summary>Creates the namespace and the fake sysfs once (first test that needs it; needs root).</summary>
    public GuestNetwork Build()
    {
        if (_ns is not null)
        {
            return this;
        }
        RootRequirement.Assert();
        _ns = new NetworkNamespace();
        _ns.AddVeth("eth0", Eth0Mac, "peer0");
        _ns.AddVeth("eth01", Eth01Mac, "peer01");
        _ns.AddVeth("enP1s1", Eth0Mac, "peervf");
        _ns.AddVeth("vfonly", LonelyMac, "peerlonely");
        _ns.Ip("addr", "add", "10.1.0.5/24", "dev", "eth0");
        _ns.Ip("addr", "add", "10.1.0.6/16", "dev", "eth0");
        _ns.Ip("addr", "add", "fd01::5/64", "dev", "eth0", "nodad");
        _ns.Ip("addr", "add", "10.2.0.5/24", "dev", "eth01");
        _ns.Ip("route", "add", "default", "via", "10.1.0.1", "dev", "eth0");
        _ns.Ip("route", "add", "default", "via", "10.2.0.1", "dev", "eth01", "metric", "200");
        _ns.Ip("-6", "route", "add", "default", "via", "fd01::1", "dev", "eth0");

        Sysfs = new FakeSysfs(Path.Combine(Root, "sys-class-net"));
        Sysfs.Add("eth0", Eth0Mac, _ns.IfIndex("eth0"), Eth0Guid)
            .Add("eth01", Eth01Mac, _ns.IfIndex("eth01"))
            .Add("vfonly", LonelyMac, _ns.IfIndex("vfonly"))
            .Add("enP1s1", Eth0Mac, _ns.IfIndex("enP1s1"));
        if (Sysfs.Order().IndexOf("enP1s1") > Sysfs.Order().IndexOf("eth0"))
        {
            // Creation-order listing: recreate eth0 so it comes last.
            Sysfs.Remove("eth0");
            Sysfs.Add("eth0", Eth0Mac, _ns.IfIndex("eth0"), Eth0Guid);
        }
        return this;
    }

    /// <summary>Options whose every source points into <paramref name="dir"/> or the namespace.</summary>
    public KvpOptions Options(string dir)
    {
        var o = new KvpOptions { PoolDirectory = Path.Combine(dir, "pools") };
        KvpNetworkOptions n = o.Network;
        n.SysfsNetPath = Sysfs.Root;
        n.ProcNetPath = NetworkNamespace.ProcNetPath;
        n.ScriptsDirectory = Path.Combine(dir, "scripts");
        n.ResolvConfPath = Path.Combine(dir, "resolv.conf");
        n.ResolvedRunDirectory = Path.Combine(dir, "resolve");
        n.NetworkdRunDirectory = Path.Combine(dir, "netif");
        n.NetworkManagerRunDirectory = Path.Combine(dir, "nm-run");
        n.NetworkManagerStateDirectory = Path.Combine(dir, "nm-state");
        n.DhclientLeaseDirectories = [Path.Combine(dir, "dhclient")];
        return o;
    }

    public IpInfoResult Get(KvpOptions options, string mac) =>
        Namespace.Run(() => new NetworkInfoService(Microsoft.Extensions.Options.Options.Create(options)).GetIpInfo(mac));

    public void Dispose()
    {
        _ns?.Dispose();
        foreach (string dir in new[] { Root, _shm })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
