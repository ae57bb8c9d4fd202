using HvUtils.Vss.Planning;

namespace HvUtils.Vss.Tests;

public sealed class FreezePlannerTests : IDisposable
{
    private readonly FakeDevices _devices = FakeDevices.Create();

    private static string Fixture => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mountinfo.txt"));

    public void Dispose() => _devices.Dispose();

    private FreezePlan Plan(string[]? include = null, string[]? exclude = null) =>
        new FreezePlanner(new VssOptions { Include = include ?? [], Exclude = exclude ?? [] }, _devices)
            .Plan(MountInfoParser.Parse(Fixture));

    private static string Render(FreezePlan plan) => string.Join('\n',
        plan.Targets.Select(t => $"freeze {t.MountPoint} [{t.DeviceNumber}]: {t.Reason}")
            .Concat(plan.Skipped.Select(s => $"skip {s.MountPoint}: {s.Reason}"))
            .Concat(plan.Notes.Select(n => $"note {n}")));

    [Fact]
    public void Defaults_pick_what_the_C_daemon_picks_once_per_filesystem_with_root_last()
    {
        const string expected = """
            freeze /home [254:2]: local block device
            freeze /var [0:40]: local block device
            freeze /opt [254:3]: local block device
            freeze /mnt/with space [254:5]: local block device
            freeze /mnt/shadow [254:7]: local block device
            freeze / [254:1]: local block device; root, frozen last
            skip /proc: not a block device
            skip /dev: not a block device
            skip /run: not a block device
            skip /mnt/image: loop device
            skip /mnt/dm-on-loop: stacked on a loop device
            skip /mnt/cdrom: read-only filesystem
            skip /boot/efi: vfat cannot be frozen
            skip /var/lib/docker/overlay2/abc/merged: not a block device
            skip /tmp: not a block device
            skip /mnt/nfs: not a block device
            skip /mnt/fuse: not a block device
            skip /mnt/shadow: hidden by a later mount on the same directory (ext4 from /dev/sda7)
            skip /srv/data: same filesystem as /home (bind mount or subvolume; frozen once)
            skip /var/log: same filesystem as /var (bind mount or subvolume; frozen once)
            skip /mnt/etc-bind: same filesystem as / (bind mount or subvolume; frozen once)
            note cannot stat /dev/sr0 (for /mnt/cdrom); using the superblock's device number 11:0
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Render(Plan()));
    }

    [Fact]
    public void Include_restricts_the_plan_and_overrides_the_default_skips()
    {
        FreezePlan plan = Plan(include: ["/mnt/image", "fstype:vfat"]);
        Assert.Equal(["/mnt/image", "/boot/efi"], plan.MountPoints);
        Assert.Equal("included by Vss:Include \"/mnt/image\"", plan.Targets[0].Reason);
        Assert.Contains(plan.Skipped, s => s.MountPoint == "/" && s.Reason == "not matched by Vss:Include");
    }

    [Fact]
    public void Exclude_wins_over_include_and_defaults()
    {
        FreezePlan plan = Plan(exclude: ["/mnt/**", "source:/dev/sdb*"]);
        Assert.Equal(["/home", "/opt", "/"], plan.MountPoints);
        Assert.Contains(plan.Skipped, s => s.MountPoint == "/var" && s.Reason == "excluded by Vss:Exclude \"source:/dev/sdb*\"");
        Assert.Empty(Plan(include: ["/mnt/image"], exclude: ["fstype:ext4"]).Targets);
    }

    [Fact]
    public void Root_reached_through_a_bind_mount_first_is_still_frozen_through_slash_and_last()
    {
        string text = """
            30 1 254:1 /etc /early-bind rw - ext4 /dev/sda1 rw
            31 1 254:1 / / rw - ext4 /dev/sda1 rw
            32 31 254:2 / /data rw - ext4 /dev/sda2 rw
            """;
        FreezePlan plan = new FreezePlanner(new VssOptions(), _devices).Plan(MountInfoParser.Parse(text));
        Assert.Equal(["/data", "/"], plan.MountPoints);
        Assert.Equal("same filesystem as / (frozen once, through /)", Assert.Single(plan.Skipped).Reason);
    }

    [Fact]
    public void Unreadable_mountinfo_is_an_empty_plan_with_a_note()
    {
        FreezePlan plan = new FreezePlanner(new VssOptions(), _devices).PlanFromFile("/nonexistent/mountinfo");
        Assert.Empty(plan.Targets);
        Assert.StartsWith("cannot read /nonexistent/mountinfo", Assert.Single(plan.Notes));
    }
}
