using HvUtils.Vss.Planning;

namespace HvUtils.Vss.Tests;

public sealed class MountInfoParserTests
{
    [Fact]
    public void Parses_every_field_with_optional_fields_and_octal_escapes()
    {
        MountEntry m = Assert.Single(MountInfoParser.Parse(@"36 35 98:0 /mnt\0401 /mnt\011tab rw,noatime master:1 shared:2 - ext3 /dev/root\134x rw,errors=continue" + "\n"));
        Assert.Equal(new MountEntry(36, 35, 98, 0, "/mnt 1", "/mnt\ttab", "rw,noatime", "ext3", "/dev/root\\x", "rw,errors=continue"), m);
        Assert.Equal("98:0", m.DeviceNumber);
        Assert.False(m.IsReadOnlySuperblock);
    }

    [Fact]
    public void Read_only_is_an_exact_superblock_option()
    {
        Assert.True(MountInfoParser.TryParseLine("1 0 8:1 / / rw - ext4 /dev/sda1 ro,relatime")!.IsReadOnlySuperblock);
        Assert.False(MountInfoParser.TryParseLine("1 0 8:1 / / ro - ext4 /dev/sda1 rw,errors=remount-ro")!.IsReadOnlySuperblock);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1 0 8:1 / / rw shared:1 ext4 /dev/sda1 rw")]
    [InlineData("x 0 8:1 / / rw - ext4 /dev/sda1 rw")]
    [InlineData("1 0 81 / / rw - ext4 /dev/sda1 rw")]
    [InlineData("1 0 8:1 / / rw - ext4")]
    public void Malformed_lines_are_reported_not_fatal(string line)
    {
        var errors = new List<string>();
        IReadOnlyList<MountEntry> entries = MountInfoParser.Parse(line + "\n1 0 8:1 / / rw - ext4 /dev/sda1 rw\n", errors);
        Assert.Single(entries);
        Assert.Equal(line.Length == 0 ? 0 : 1, errors.Count);
    }

    [Theory]
    [InlineData("/srv/*", "/srv/a", true)]
    [InlineData("/srv/*", "/srv/a/b", false)]
    [InlineData("/srv/**", "/srv/a/b", true)]
    [InlineData("/srv/?", "/srv/a", true)]
    [InlineData("/srv/?", "/srv/ab", false)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/home", false)]
    [InlineData("*", "/home", false)]
    [InlineData("**", "/home", true)]
    public void Globs_match_mount_points(string glob, string path, bool matches) =>
        Assert.Equal(matches, MountPattern.GlobMatch(glob, path));

    [Fact]
    public void Patterns_pick_their_field()
    {
        MountEntry m = MountInfoParser.TryParseLine("1 0 8:1 / /data rw - xfs /dev/sdb1 rw")!;
        Assert.True(MountPattern.Parse("fstype:xfs").Matches(m));
        Assert.True(MountPattern.Parse("source:/dev/sd*").Matches(m));
        Assert.True(MountPattern.Parse("path:/data").Matches(m));
        Assert.True(MountPattern.Parse("/d*").Matches(m));
        Assert.False(MountPattern.Parse("fstype:ext4").Matches(m));
    }
}
