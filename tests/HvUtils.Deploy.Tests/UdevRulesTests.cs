namespace HvUtils.Deploy.Tests;

/// <summary>
/// deploy/udev/60-hvutils.rules (issue 8 §3). systemd 252 has no <c>udevadm verify</c>, so
/// the rules are parsed strictly and evaluated against modelled devices.
/// </summary>
public sealed class UdevRulesTests
{
    private const string FcopyClassId = "{34d14be3-dee4-41c8-9ae7-6b174977c192}";

    private static readonly IReadOnlyList<UdevRule> Rules = UdevRule.LoadFile(Repository.UdevRules);

    public static TheoryData<string> HvDevices => ["vmbus/hv_kvp", "vmbus/hv_vss", "vmbus/hv_fcopy"];

    [Theory]
    [MemberData(nameof(HvDevices))]
    public void A_utility_device_wants_the_unit(string kernelName)
    {
        AssertWantsUnit(new UdevDevice("misc", kernelName, []), expected: true);
    }

    [Fact]
    public void The_fcopy_uio_device_wants_the_unit()
    {
        AssertWantsUnit(UioUnder(FcopyClassId), expected: true);
    }

    /// <summary>Other UIO devices (e.g. DPDK's network channels on uio_hv_generic) are not ours.</summary>
    [Fact]
    public void Another_vmbus_uio_device_does_not()
    {
        AssertWantsUnit(UioUnder("{f8615163-df3e-46c5-913f-f2d2f965ed0e}"), expected: false);
    }

    [Theory]
    [InlineData("misc", "fuse")]
    [InlineData("misc", "vmbus/hv_other")]
    [InlineData("block", "vmbus/hv_kvp")]
    public void Unrelated_devices_do_not(string subsystem, string kernelName)
    {
        AssertWantsUnit(new UdevDevice(subsystem, kernelName, []), expected: false);
    }

    /// <summary>The wanted unit is the one deploy/systemd ships.</summary>
    [Fact]
    public void Wants_only_the_shipped_unit()
    {
        string[] wanted = [.. Rules.SelectMany(r => r.Added("ENV", "SYSTEMD_WANTS")).Distinct()];
        Assert.Equal([Path.GetFileName(Repository.UnitFile)], wanted);
    }

    [Fact]
    public void Parser_rejects_what_udev_rejects()
    {
        Assert.Throws<FormatException>(() => UdevRule.Parse("""SUBSYSTEM="misc", TAG+="systemd" """));
        Assert.Throws<FormatException>(() => UdevRule.Parse("""KERNEL=="x" TAG+="systemd" """));
        Assert.Throws<FormatException>(() => UdevRule.Parse("""ENV="x" """));
        Assert.Throws<FormatException>(() => UdevRule.Parse("""KERNAL=="x" """));
        Assert.Throws<FormatException>(() => UdevRule.Parse("""KERNEL=="x, TAG+="systemd" """));
    }

    private static UdevDevice UioUnder(string classId) =>
        new("uio", "uio0", [("vmbus", new Dictionary<string, string> { ["class_id"] = classId })]);

    private static void AssertWantsUnit(UdevDevice device, bool expected)
    {
        UdevRule[] matching = [.. Rules.Where(r => r.Matches(device))];
        bool wants = matching.Any(r => r.Added("ENV", "SYSTEMD_WANTS").Contains("hvutilsd.service"));
        Assert.Equal(expected, wants);
        if (expected)
        {
            // Without the tag systemd ignores the device, and SYSTEMD_WANTS with it.
            Assert.Contains(matching, r => r.Added("TAG").Contains("systemd"));
        }
    }
}
