using HvUtils.Core.Hosting;
using HvUtils.HostSim.Daemon;
using HvUtils.Testing;

namespace HvUtils.Core.Tests;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Sends_one_datagram_per_notification_to_NOTIFY_SOCKET()
    {
        using var dir = new TempDirectory();
        using var listener = new NotifyListener(dir.Combine("notify.sock"));
        using var notifier = new SystemdNotifier(listener.Path);
        Assert.True(notifier.IsEnabled);
        notifier.Notify("READY=1\nSTATUS=ok");
        notifier.Notify("WATCHDOG=1");
        await listener.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
        Assert.Equal(["READY=1", "STATUS=ok", "WATCHDOG=1"], listener.Lines.Select(l => l.Line));
    }

    [Fact]
    public void Without_NOTIFY_SOCKET_it_is_disabled_and_silent()
    {
        using var notifier = new SystemdNotifier(null);
        Assert.False(notifier.IsEnabled);
        notifier.Notify("READY=1");
    }
}
