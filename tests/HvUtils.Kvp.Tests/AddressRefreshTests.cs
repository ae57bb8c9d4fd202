using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Network;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests;

/// <summary>NetworkAddressIPv4/IPv6 follow address changes through the NETLINK_ROUTE watch (issue 3 point 4), in a network namespace the test creates.</summary>
public sealed class AddressRefreshTests
{
    [RootFact("a private network namespace (unshare) and ip(8)")]
    public void Adding_an_address_wakes_the_watch_and_refreshes_the_cached_values()
    {
        PrivateNamespace.Run(PrivateNamespace.CLONE_NEWNET, () =>
        {
            string ns = PrivateNamespace.NetworkNamespacePath;
            using var source = new InterfaceAddressSource(new NetworkInfoService(Options.Create(new KvpOptions())));
            using var hostName = new FakeHostName("h");
            using var auto = new AutoPool(OsInfo.From("Linux", "6.1", "x86_64", null, null), hostName, source);
            Assert.Equal("", auto.ValueText(2));
            ChannelEventSource watch = Assert.Single(auto.EventSources, e => e.Fd == source.WatchFd);
            Ip(ns, "link", "add", "hv0", "type", "veth", "peer", "name", "hv1");
            Ip(ns, "addr", "add", "192.0.2.44/24", "dev", "hv0");
            Ip(ns, "addr", "add", "2001:db8::44/64", "dev", "hv0", "nodad");
            Ip(ns, "link", "set", "hv0", "up");
            int epfd = Native.EpollCreate();
            try
            {
                Native.EpollCtl(epfd, Native.EPOLL_CTL_ADD, source.WatchFd, Native.EPOLLIN, 1);
                Assert.Equal(1, Native.EpollWaitOne(epfd, 2000, out _, out _));
            }
            finally
            {
                Native.Close(epfd);
            }
            watch.OnReady();
            Assert.Equal("192.0.2.44", auto.ValueText(2));
            Assert.Contains("2001:db8::44", auto.ValueText(3).Split(';'));
        });
    }

    private static void Ip(string ns, params string[] args) => ProcessRunner.Run("nsenter", [$"--net={ns}", "ip", .. args]);
}
