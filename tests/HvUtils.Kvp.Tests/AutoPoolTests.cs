using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using HvUtils.Core.Interop;
using HvUtils.Core.Runtime;
using HvUtils.Core.Telemetry;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests;

/// <summary>The AUTO pool's derivations (spec/kvp.md §6) and its refresh on change (issue 3 point 4).</summary>
public sealed partial class AutoPoolTests
{
    [Fact]
    public void Enumerates_the_ten_keys_in_spec_order_then_no_more_items()
    {
        using var rig = new ChannelRig();
        rig.Channel.AcceptRegistrationReply(Msg.New(100, 0).Str(4, "3.1"));
        string[] expected =
        [
            "FullyQualifiedDomainName=vm1.contoso.local", "IntegrationServicesVersion=3.1", "NetworkAddressIPv4=10.0.0.4;172.17.0.1",
            "NetworkAddressIPv6=fe80::215:5dff:fe00:101", "OSBuildNumber=6.8.0-45-generic", "OSName=Ubuntu", "OSMajorVersion=24.04",
            "OSMinorVersion=", "OSVersion=6.8.0", "ProcessorArchitecture=x86_64",
        ];
        for (uint i = 0; i < 10; i++)
        {
            byte[] reply = rig.Send(Msg.Enumerate(2, i));
            Assert.Equal(0u, Msg.Status(reply));
            Assert.Equal(expected[i], $"{Msg.CString(reply.AsSpan(20))}={Msg.CString(reply.AsSpan(532))}");
        }
        Assert.Equal(0x80070103u, Msg.Status(rig.Send(Msg.Enumerate(2, 10))));
    }

    [Fact]
    public void Values_are_cached_so_enumerate_calls_no_source()
    {
        using var rig = new ChannelRig();
        int before = rig.Addresses.Calls;
        for (int i = 0; i < 100; i++)
        {
            rig.Send(Msg.Enumerate(2, (uint)(i % 10)));
        }
        Assert.Equal(before, rig.Addresses.Calls);
    }

    [Fact]
    public void Version_is_unknown_until_the_handshake()
    {
        using var rig = new ChannelRig();
        Assert.Equal("Unknown version", Msg.CString(rig.Send(Msg.Enumerate(2, 1)).AsSpan(532)));
    }

    [Fact]
    public void Host_name_change_event_refreshes_the_fqdn()
    {
        using var rig = new ChannelRig();
        Assert.Single(rig.Channel.EventSources);
        rig.HostName.Name = "renamed.contoso.local";
        Native.EventFdSignal(rig.HostName.WatchFd);
        rig.Channel.EventSources[0].OnReady();
        Assert.Equal("renamed.contoso.local", Msg.CString(rig.Send(Msg.Enumerate(2, 0)).AsSpan(532)));
        Assert.Equal(1, rig.Auto.HostNameRefreshes);
    }

    [Theory]
    [InlineData("NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n", "Debian GNU/Linux", "12")]
    [InlineData("# comment\nNAME='Fedora Linux'\nVERSION_ID=40\nPRETTY_NAME=\"x\"\n", "Fedora Linux", "40")]
    [InlineData("NAME=Odd\\\"Name\\\\x\nVERSION_ID= 1.0 \n", "Odd\"Name\\x", " 1.0 ")]
    [InlineData("NAME =spaced\nVERSION_ID=9\n", "Linux", "9")]
    [InlineData("PRETTY_NAME=only\n", "Linux", "")]
    public void Os_release_parsing_follows_the_C_daemon(string osRelease, string name, string major)
    {
        OsInfo os = OsInfo.From("Linux", "5.15.0-1-azure", "aarch64", osRelease, null);
        Assert.Equal((name, major, "", "5.15.0", "5.15.0-1-azure", "aarch64"), (os.Name, os.MajorVersion, os.MinorVersion, os.Version, os.BuildNumber, os.Architecture));
    }

    [Fact]
    public void Legacy_release_file_lines_give_name_major_and_minor()
    {
        OsInfo os = OsInfo.From("Linux", "3.10.0", "x86_64", null, "CentOS Linux\n7\n9\n");
        Assert.Equal(("CentOS Linux", "7", "9", "3.10.0"), (os.Name, os.MajorVersion, os.MinorVersion, os.Version));
        Assert.Equal(("Linux", ""), (OsInfo.From("Linux", "6.1", "x86_64", null, null).Name, OsInfo.From("Linux", "6.1", "x86_64", null, null).MajorVersion));
    }

    [Fact]
    public void Collect_reads_the_configured_os_release_path_and_uname()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("os-release"), "NAME=TestOS\nVERSION_ID=7.7\n");
        OsInfo os = OsInfo.Collect(dir.Combine("os-release"));
        Assert.Equal(("TestOS", "7.7"), (os.Name, os.MajorVersion));
        Assert.Equal(RuntimeInformation.OSArchitecture == Architecture.X64 ? "x86_64" : os.Architecture, os.Architecture);
        Assert.Equal(Environment.OSVersion.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), os.BuildNumber.Split('.')[0]);
    }

    [Fact]
    public void Real_interface_addresses_come_from_getifaddrs_through_the_network_service()
    {
        using var source = new InterfaceAddressSource(new NetworkInfoService(Options.Create(new KvpOptions())));
        Assert.True(source.WatchFd >= 0);
        var all = new List<InterfaceAddressEntry>();
        Assert.Equal(0, Native.GetInterfaceAddresses(all));
        Assert.Contains(all, a => a.Name == "lo");
        (string v4, _) = source.Addresses();
        Assert.DoesNotContain("127.0.0.1", v4.Split(';'));
    }

    [RootFact("a private UTS namespace (unshare)")]
    public void The_kernel_signals_pollpri_on_a_host_name_change()
    {
        PrivateNamespace.Run(PrivateNamespace.CLONE_NEWUTS, () =>
        {
            SetHostName("hvutils-test-a");
            using var source = new KernelHostNameSource("/proc/sys/kernel/hostname");
            Assert.Equal("hvutils-test-a", source.HostName());
            int epfd = Native.EpollCreate();
            try
            {
                Assert.Equal(0, Native.EpollCtl(epfd, Native.EPOLL_CTL_ADD, source.WatchFd, source.WatchEvents, 7));
                Assert.Equal(0, Native.EpollWaitOne(epfd, 100, out _, out _));
                SetHostName("hvutils-test-b");
                Assert.Equal(1, Native.EpollWaitOne(epfd, 2000, out int token, out uint events));
                Assert.Equal(7, token);
                Assert.NotEqual(0u, events & Native.EPOLLPRI);
                source.Acknowledge();
                Assert.Equal(0, Native.EpollWaitOne(epfd, 100, out _, out _));
                Assert.Equal("hvutils-test-b", source.HostName());
            }
            finally
            {
                Native.Close(epfd);
            }
        });
    }

    [Fact]
    public void Metrics_report_records_per_pool_and_lock_waits()
    {
        using ServiceProvider sp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new KvpMetrics(new HvUtilsMetrics(sp.GetRequiredService<IMeterFactory>(), new ChannelRegistry()));
        using var dir = new TempDirectory();
        using var pools = new Pools.KvpPoolSet(dir.Path, new Pools.PoolFileSettings(TimeSpan.FromSeconds(1), 100, true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, metrics.RecordLockWait));
        metrics.Observe(pools);
        pools.Create();
        pools[1]!.Set("a"u8, "1"u8);
        pools[1]!.Set("b"u8, "2"u8);
        var records = new Dictionary<string, int>();
        int lockWaits = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == HvUtilsMetrics.MeterName && i.Name.StartsWith("hvutils.kvp.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => records[(string)tags[0].Value!] = v);
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => lockWaits += i.Name == "hvutils.kvp.lock.wait.duration" ? 1 : 0);
        listener.Start();
        pools[1]!.Set("c"u8, "3"u8);
        listener.RecordObservableInstruments();
        Assert.Equal(3, records["1"]);
        Assert.Equal(0, records["0"]);
        Assert.Equal(10, records["2"]);
        Assert.Equal(1, lockWaits);
    }

    [LibraryImport("libc", EntryPoint = "sethostname", SetLastError = true)]
    private static partial int sethostname(byte[] name, nuint length);

    private static void SetHostName(string name)
    {
        byte[] b = System.Text.Encoding.ASCII.GetBytes(name);
        Assert.Equal(0, sethostname(b, (nuint)b.Length));
    }
}
