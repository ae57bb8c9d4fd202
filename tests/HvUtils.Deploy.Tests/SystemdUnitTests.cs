using System.Globalization;
using System.Text.RegularExpressions;
using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>deploy/systemd/hvutilsd.service against issue 8 §2, systemd-analyze verify and security.</summary>
public sealed partial class SystemdUnitTests
{
    private static readonly UnitFile Unit = UnitFile.Load(Repository.UnitFile);

    [ToolFact("systemd-analyze")]
    public void Verify_prints_nothing_when_the_executables_exist()
    {
        using var root = new ScratchRoot();
        root.AddFile("/usr/lib/systemd/system/hvutilsd.service", Repository.UnitFile);
        root.AddStubExecutable("/usr/sbin/hvutilsd");
        root.AddStubExecutable("/usr/bin/hvutils");

        Assert.Equal("", root.VerifyUnit("hvutilsd.service"));
    }

    /// <summary>The check above can fail: verify does complain about what it cannot find or parse.</summary>
    [ToolFact("systemd-analyze")]
    public void Verify_complains_about_missing_executables_and_unknown_keys()
    {
        using var root = new ScratchRoot();
        root.AddFile("/usr/lib/systemd/system/hvutilsd.service", Repository.UnitFile);
        File.AppendAllText(root.Combine("/usr/lib/systemd/system/hvutilsd.service"), "NoSuchKey=1\n");

        string output = root.VerifyUnit("hvutilsd.service");

        Assert.Contains("/usr/sbin/hvutilsd", output);
        Assert.Contains("/usr/bin/hvutils", output);
        Assert.Contains("NoSuchKey", output);
    }

    [ToolFact("systemd-analyze")]
    public void Security_exposure_is_at_most_4()
    {
        (int exit, string output) = ProcessRunner.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", Repository.UnitFile], check: false);

        Match m = ExposureLine().Match(output);
        Assert.True(m.Success, $"no overall exposure line (exit {exit}):\n{output}");
        double exposure = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 4.0, $"exposure {exposure} > 4.0:\n{output}");
    }

    [Fact]
    public void Is_a_notify_service_with_watchdog_restart_and_thaw_on_stop()
    {
        Assert.Equal("notify", Unit.Single("Service", "Type"));
        Assert.Matches(@"^\d+s$", Unit.Single("Service", "WatchdogSec"));
        Assert.Equal("on-failure", Unit.Single("Service", "Restart"));
        Assert.Equal("/usr/sbin/hvutilsd", Unit.Single("Service", "ExecStart"));
        Assert.Equal("/usr/bin/hvutils vss thaw", Unit.Single("Service", "ExecStopPost"));
        Assert.Equal("hvutils", Unit.Single("Service", "RuntimeDirectory"));
        Assert.Equal("restart", Unit.Single("Service", "RuntimeDirectoryPreserve"));
        Assert.Equal("multi-user.target", Unit.Single("Install", "WantedBy"));
    }

    [Fact]
    public void Orders_like_the_distribution_units()
    {
        Assert.Equal("microsoft", Unit.Single("Unit", "ConditionVirtualization"));
        Assert.Contains("cloud-init-local.service", Unit.Words("Unit", "Before"));
        Assert.Contains("shutdown.target", Unit.Words("Unit", "Before"));
        Assert.Contains("shutdown.target", Unit.Words("Unit", "Conflicts"));
        Assert.Equal("/var/lib/hyperv", Unit.Single("Unit", "RequiresMountsFor"));
        Assert.Equal("yes", Unit.Single("Unit", "IgnoreOnIsolate"));
    }

    [Theory]
    [InlineData("hv-kvp-daemon.service")]
    [InlineData("hv-vss-daemon.service")]
    [InlineData("hv-fcopy-daemon.service")]
    [InlineData("hypervkvpd.service")]
    [InlineData("hypervvssd.service")]
    [InlineData("hypervfcopyd.service")]
    public void Conflicts_with_the_unit_it_replaces(string unit) => Assert.Contains(unit, Unit.Words("Unit", "Conflicts"));

    /// <summary>The daemon waits for devices itself; a device dependency would stop it when one goes away.</summary>
    [Fact]
    public void Does_not_bind_to_device_nodes()
    {
        Assert.Empty(Unit.Values("Unit", "BindsTo"));
        Assert.Empty(Unit.Values("Unit", "ConditionPathExists"));
        Assert.DoesNotContain(Unit.Entries, e => e.Value.Contains(".device", StringComparison.Ordinal));
    }

    /// <summary>A freeze must see every mount and fcopy's files must land where users look (issue 8 §2).</summary>
    [Fact]
    public void Does_not_hide_or_replace_mounts()
    {
        Assert.Empty(Unit.Values("Service", "PrivateTmp"));
        Assert.Empty(Unit.Values("Service", "PrivateDevices"));
        Assert.Empty(Unit.Values("Service", "TemporaryFileSystem"));
        Assert.Empty(Unit.Values("Service", "InaccessiblePaths"));
        Assert.All(Unit.Values("Service", "ProtectHome"), v => Assert.Equal("read-only", v));
    }

    [Fact]
    public void Sandbox_has_the_required_directives()
    {
        Assert.Equal("strict", Unit.Single("Service", "ProtectSystem"));
        Assert.Contains("/var/lib/hyperv", Unit.Words("Service", "ReadWritePaths"));
        Assert.Equal(["CAP_DAC_OVERRIDE", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"], Unit.Words("Service", "CapabilityBoundingSet").Order());
        Assert.Equal("closed", Unit.Single("Service", "DevicePolicy"));
        Assert.Equal(["char-misc rw", "char-uio rw"], Unit.Values("Service", "DeviceAllow").Order());
        Assert.Equal("yes", Unit.Single("Service", "NoNewPrivileges"));
        Assert.Equal(["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"], Unit.Words("Service", "RestrictAddressFamilies").Order());
        Assert.Equal("native", Unit.Single("Service", "SystemCallArchitectures"));
        Assert.Equal("yes", Unit.Single("Service", "MemoryDenyWriteExecute"));
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex ExposureLine();
}
