using HvUtils.Core.Interop;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Vss;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>The real hvutilsd freezing a real ext4 loop filesystem through the simulator (root, as CI is).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VssDaemonTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Completes = TimeSpan.FromSeconds(15);

    [RootFact]
    public async Task Freeze_blocks_another_process_write_until_thaw()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        Assert.Equal([bed.Filesystem.MountPoint], bed.Marker.Read());
        using FrozenWriteProbe probe = bed.Probe();
        Assert.True(probe.StaysBlockedFor(Blocked), "a write completed on a frozen filesystem");
        VssReply thaw = await bed.Host.ThawAsync();
        Assert.Equal(Convert.FromHexString("000000000000000000000000"), thaw.Raw);
        Assert.True(probe.Completes(Completes), "the write did not complete after THAW");
        Assert.Empty(bed.Marker.Read());
        await bed.WaitForLogAsync($"froze {bed.Filesystem.MountPoint}", "held while frozen");
        Assert.True((await bed.Host.HotBackupAsync()).Succeeded);
        Assert.Equal(VssReply.E_FAIL, (await bed.Host.RequestAsync(9)).Status);
    }

    [RootFact]
    public async Task Hooks_run_in_name_order_around_the_freeze_and_in_reverse_after_the_thaw()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        string journal = bed.Dir.Combine("journal");
        foreach (string name in new[] { "20-app", "10-db" })
        {
            WriteHook(bed.HooksDirectory, name, $"echo \"{name} $1 $HVUTILS_VSS_MOUNTS\" >> {journal}");
        }
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        Assert.Equal([$"10-db freeze {bed.Filesystem.MountPoint}", $"20-app freeze {bed.Filesystem.MountPoint}"], File.ReadAllLines(journal));
        Assert.True((await bed.Host.ThawAsync()).Succeeded);
        Assert.Equal([$"20-app thaw {bed.Filesystem.MountPoint}", $"10-db thaw {bed.Filesystem.MountPoint}"], File.ReadAllLines(journal)[2..]);
    }

    [RootTheory]
    [InlineData("exit 7", "exited with 7")]
    [InlineData("sleep 20", "did not finish within")]
    public async Task A_failing_or_timed_out_freeze_hook_aborts_the_freeze(string body, string logged)
    {
        await using VssTestBed bed = await VssTestBed.StartAsync("--Vss:HookTimeout=00:00:00.500");
        string journal = bed.Dir.Combine("journal");
        WriteHook(bed.HooksDirectory, "10-ok", $"echo \"10-ok $1\" >> {journal}");
        WriteHook(bed.HooksDirectory, "20-bad", body);
        VssReply reply = await bed.FreezeAsync();
        Assert.Equal(VssReply.E_FAIL, reply.Status);
        using FrozenWriteProbe probe = bed.Probe();
        Assert.True(probe.Completes(Completes), "the filesystem was left frozen");
        Assert.Equal(["10-ok freeze", "10-ok freeze-fail"], File.ReadAllLines(journal));
        await bed.WaitForLogAsync(logged);
    }

    [RootFact]
    public async Task The_deadline_thaws_without_a_THAW_and_the_late_THAW_fails()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync("--Vss:FreezeDeadline=00:00:01");
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        using FrozenWriteProbe probe = bed.Probe();
        Assert.True(probe.StaysBlockedFor(Blocked));
        Assert.True(probe.Completes(Completes), "the deadline did not thaw");
        Assert.Empty(bed.Marker.Read());
        Assert.Equal(VssReply.E_FAIL, (await bed.Host.ThawAsync()).Status);
        await bed.WaitForLogAsync("no THAW within the freeze deadline");
    }

    [RootFact]
    public async Task A_daemon_killed_while_frozen_is_replaced_by_one_that_thaws_at_start_up()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        using FrozenWriteProbe probe = bed.Probe();
        await bed.Daemon!.StopAsync(Native.SIGKILL);
        Assert.True(probe.StaysBlockedFor(Blocked), "nothing should thaw a filesystem when the daemon dies");
        Assert.Equal([bed.Filesystem.MountPoint], bed.Marker.Read());
        await bed.Daemon.DisposeAsync();
        await bed.StartDaemonAsync();
        Assert.True(probe.Completes(Completes), "the restarted daemon did not thaw");
        Assert.Empty(bed.Marker.Read());
        await bed.WaitForLogAsync("a previous hvutilsd left frozen");
    }

    [RootFact]
    public async Task SIGTERM_while_frozen_thaws_before_exit()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        using FrozenWriteProbe probe = bed.Probe();
        Assert.True(probe.StaysBlockedFor(Blocked));
        Assert.Equal(0, await bed.Daemon!.StopAsync(Native.SIGTERM));
        Assert.True(probe.Completes(Completes), "SIGTERM left the filesystem frozen");
        Assert.Empty(bed.Marker.Read());
    }

    [RootFact]
    public async Task A_malformed_message_while_frozen_thaws_and_resets_the_device()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        using FrozenWriteProbe probe = bed.Probe();
        int registrations = bed.Simulator.Vss.Registrations;
        await Assert.ThrowsAsync<HostRequestException>(() => bed.Simulator.Vss.RequestAsync(new byte[5], TimeSpan.FromSeconds(10)));
        Assert.True(probe.Completes(Completes), "a malformed message left the filesystem frozen");
        await bed.Simulator.Vss.WaitForStateAsync(DeviceState.Ready, TimeSpan.FromSeconds(10));
        Assert.True(bed.Simulator.Vss.Registrations > registrations);
    }

    private static void WriteHook(string directory, string name, string body)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
