using HvUtils.Core.Channels;
using HvUtils.Kvp.Network;
using HvUtils.Kvp.Network.Backends;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>The <c>auto</c> backend rules, in order (BackendSelector).</summary>
public sealed class BackendDetectionTests : IDisposable
{
    private readonly SetIpInfoFixture _guest = new();

    private string? Detect() => BackendSelector.Detect(_guest.Options);

    [Fact]
    public void Nothing_present_detects_nothing_and_SET_fails_without_writing()
    {
        Assert.Null(Detect());

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "auto");

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Empty(_guest.WrittenFiles());
    }

    [Fact]
    public void Networkd_running_selects_networkd()
    {
        Directory.CreateDirectory(_guest.Path("run", "systemd", "netif", "links"));
        Assert.Equal("networkd", Detect());
    }

    [Fact]
    public void NetworkManager_running_wins_over_networkd()
    {
        Directory.CreateDirectory(_guest.Path("run", "systemd", "netif", "links"));
        Directory.CreateDirectory(_guest.Path("run", "NetworkManager"));
        Assert.Equal("networkmanager", Detect());
    }

    [Fact]
    public void Netplan_wins_over_the_renderers_it_drives()
    {
        Directory.CreateDirectory(_guest.Path("run", "NetworkManager"));
        Directory.CreateDirectory(_guest.Path("etc", "netplan"));
        Assert.Equal("netplan", Detect());
    }

    [Fact]
    public void A_tool_that_is_not_installed_is_not_selected()
    {
        Directory.CreateDirectory(_guest.Path("run", "NetworkManager"));
        _guest.Options.Network.NmcliPath = _guest.Path("bin", "missing-nmcli");
        Assert.Null(Detect());
    }

    [Fact]
    public void A_distro_hv_set_ifconfig_wins_and_auto_applies_through_it()
    {
        Directory.CreateDirectory(_guest.Path("etc", "netplan"));
        TestScripts.Recorder(_guest.Path("distro-scripts", "hv_set_ifconfig"), _guest.CommandLog);
        Assert.Equal("legacy", Detect());

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "auto");

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal("legacy", r.Backend);
    }

    [Fact]
    public void The_bundled_script_alone_does_not_make_auto_choose_legacy()
    {
        TestScripts.Recorder(_guest.Path("bundled-scripts", "hv_set_ifconfig"), _guest.CommandLog);
        Assert.Null(Detect());
    }

    public void Dispose() => _guest.Dispose();
}
