using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// The kernel behaviour the unit relies on: ProtectSystem=strict / ProtectHome=read-only only
/// bind-remount mounts read-only in the service's namespace. The per-mount flag becomes "ro"
/// but the superblock stays "rw" (which is what the VSS planner checks), and FIFREEZE through
/// the read-only bind still freezes the filesystem for everyone. Emulated with unshare on a
/// loop ext4 this test creates; always thawed.
/// </summary>
public sealed class ReadOnlySandboxFreezeTests
{
    [RootToolFact("unshare", "fsfreeze", "mount", "mkfs.ext4", "losetup")]
    public void Freezing_through_a_read_only_bind_freezes_the_filesystem()
    {
        using var fs = LoopFilesystem.Create();
        using var dir = new TempDirectory();
        string bind = dir.Combine("ro-view");
        Directory.CreateDirectory(bind);
        string script = $"""
            set -e
            mount --bind '{fs.MountPoint}' '{bind}'
            mount -o remount,bind,ro '{bind}'
            grep ' {bind} ' /proc/self/mountinfo
            fsfreeze --freeze '{bind}'
            trap "fsfreeze --unfreeze '{bind}'" EXIT
            ( echo data > '{fs.MountPoint}/written-while-frozen' ) &
            writer=$!
            sleep 0.5
            if kill -0 $writer 2>/dev/null; then echo WRITE-BLOCKED; else echo WRITE-WENT-THROUGH; fi
            fsfreeze --unfreeze '{bind}'
            trap - EXIT
            wait $writer
            echo THAWED
            """;

        string output = ProcessRunner.Run("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], check: true, TimeSpan.FromSeconds(30)).Output;

        string mountinfo = output.Split('\n')[0];
        string[] halves = mountinfo.Split(" - ");
        Assert.StartsWith("ro,", halves[0].Split(' ')[5] + ",", StringComparison.Ordinal);
        Assert.StartsWith("rw", halves[1].Split(' ')[2], StringComparison.Ordinal);
        Assert.Contains("WRITE-BLOCKED", output);
        Assert.Contains("THAWED", output);
        Assert.Equal("data\n", File.ReadAllText(Path.Combine(fs.MountPoint, "written-while-frozen")));
    }
}
