using HvUtils.Core.Channels;
using HvUtils.Kvp.Network;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>SET_IP_INFO rendered by every backend against golden files (kvp.md §8.4, §8.5 for legacy).</summary>
public sealed class SetIpInfoBackendTests : IDisposable
{
    private readonly SetIpInfoFixture _guest = new();

    private string LegacyScript(int exitCode = 0) =>
        TestScripts.Recorder(_guest.Path("distro-scripts", "hv_set_ifconfig"), _guest.CommandLog, exitCode);

    [Theory]
    [InlineData("static")]
    [InlineData("dhcp")]
    public void Legacy_writes_the_spec_files_byte_for_byte_and_runs_hv_set_ifconfig(string request)
    {
        LegacyScript();

        IpConfigurationResult r = _guest.Set(request == "static" ? SetIpInfoFixture.Static : SetIpInfoFixture.Dhcp, "legacy");

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal("legacy", r.Backend);
        string ifcfg = _guest.Path("state", "ifcfg-eth0");
        string keyfile = _guest.Path("state", "eth0.nmconnection");
        Assert.Equal(SetIpInfoFixture.Golden(request + ".ifcfg"), File.ReadAllText(ifcfg));
        Assert.Equal(SetIpInfoFixture.Golden(request + ".nmconnection"), File.ReadAllText(keyfile));
        Assert.Equal((UnixFileMode)0b110_100_100, TestScripts.Mode(ifcfg));
        Assert.Equal([$"hv_set_ifconfig {ifcfg} {keyfile}"], _guest.Commands());
    }

    [Fact]
    public void Legacy_reports_a_failing_hv_set_ifconfig_as_E_FAIL()
    {
        LegacyScript(exitCode: 3);

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "legacy");

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Contains("exited 3", r.Detail);
    }

    [Fact]
    public void Legacy_without_any_hv_set_ifconfig_fails_before_writing()
    {
        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "legacy");

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Empty(_guest.WrittenFiles());
    }

    [Fact]
    public void Legacy_falls_back_to_the_bundled_script_when_the_distro_has_none()
    {
        TestScripts.Recorder(_guest.Path("bundled-scripts", "hv_set_ifconfig"), _guest.CommandLog);

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "legacy");

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Single(_guest.Commands());
    }

    [Theory]
    [InlineData("static")]
    [InlineData("dhcp")]
    public void NetworkManager_writes_a_0600_profile_then_loads_and_activates_it(string request)
    {
        IpConfigurationResult r = _guest.Set(request == "static" ? SetIpInfoFixture.Static : SetIpInfoFixture.Dhcp, "networkmanager");

        Assert.Equal(HvStatus.S_OK, r.Status);
        string path = _guest.Path("etc", "NetworkManager", "system-connections", "hvutils-eth0.nmconnection");
        Assert.Equal(SetIpInfoFixture.Golden(request + ".networkmanager"), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, TestScripts.Mode(path));
        Assert.Equal([$"nmcli connection load {path}", "nmcli connection up id hvutils-eth0"], _guest.Commands());
    }

    [Fact]
    public void Networkd_writes_a_network_file_then_reloads()
    {
        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "networkd");

        Assert.Equal(HvStatus.S_OK, r.Status);
        string path = _guest.Path("etc", "systemd", "network", "05-hvutils-eth0.network");
        Assert.Equal(SetIpInfoFixture.Golden("static.networkd"), File.ReadAllText(path));
        Assert.Equal((UnixFileMode)0b110_100_100, TestScripts.Mode(path));
        Assert.Equal(["networkctl reload", "networkctl reconfigure eth0"], _guest.Commands());
    }

    [Fact]
    public void Netplan_writes_yaml_then_applies()
    {
        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "netplan");

        Assert.Equal(HvStatus.S_OK, r.Status);
        string path = _guest.Path("etc", "netplan", "90-hvutils-eth0.yaml");
        Assert.Equal(SetIpInfoFixture.Golden("static.netplan"), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, TestScripts.Mode(path));
        Assert.Equal(["netplan apply"], _guest.Commands());
    }

    [Fact]
    public void A_failing_apply_command_is_E_FAIL_and_the_written_file_is_complete()
    {
        TestScripts.Recorder(_guest.Options.Network.NetworkctlPath, _guest.CommandLog, exitCode: 1);

        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "networkd");

        Assert.Equal(HvStatus.E_FAIL, r.Status);
        Assert.Equal(["networkctl reload"], _guest.Commands());
        Assert.Equal(SetIpInfoFixture.Golden("static.networkd"),
            File.ReadAllText(_guest.Path("etc", "systemd", "network", "05-hvutils-eth0.network")));
    }

    [Fact]
    public void Rewriting_replaces_the_file_and_leaves_no_temporary_behind()
    {
        _guest.Set(SetIpInfoFixture.Dhcp, "networkmanager");
        _guest.Set(SetIpInfoFixture.Static, "networkmanager");

        string dir = _guest.Path("etc", "NetworkManager", "system-connections");
        Assert.Equal(["hvutils-eth0.nmconnection"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(SetIpInfoFixture.Golden("static.networkmanager"), File.ReadAllText(Path.Combine(dir, "hvutils-eth0.nmconnection")));
    }

    [Fact]
    public void Dry_run_succeeds_and_writes_nothing()
    {
        IpConfigurationResult r = _guest.Set(SetIpInfoFixture.Static, "dry-run");

        Assert.Equal(HvStatus.S_OK, r.Status);
        Assert.Equal("dry-run", r.Backend);
        Assert.Empty(_guest.WrittenFiles());
    }

    public void Dispose() => _guest.Dispose();
}
