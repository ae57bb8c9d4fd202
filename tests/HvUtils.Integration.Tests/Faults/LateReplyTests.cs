using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// Host timeouts and the late reply after one (spec/transport.md §8.1, §8.2), made with a
/// legitimately slow daemon: a freeze hook that sleeps longer than the shortened host timeout,
/// the planner restricted to the test's loop filesystem.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LateReplyTests
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(1);

    [RootFact]
    public async Task A_late_freeze_reply_is_refused_the_daemon_thaws_reregisters_and_serves_the_next_request()
    {
        await using FaultBed bed = await FaultBed.StartAsync("--Vss:HookTimeout=00:01:00");
        string started = bed.Vss.Dir.Combine("hook-started");
        WriteHook(bed.Vss.HooksDirectory, "10-slow", $"[ \"$1\" = freeze ] || exit 0\ntouch {started}\nsleep 4");
        SimulatedDevice vss = bed.Device("vss");
        int before = vss.Registrations;
        int refused = vss.RefusedWrites;
        bed.Vss.Host.FreezeTimeout = HostTimeout;
        await Assert.ThrowsAsync<HostRequestException>(() => bed.Vss.FreezeAsync());
        await FaultBed.WaitUntilAsync(() => File.Exists(started), "the slow hook ran");

        // While VSS is stuck in its hook, the other channels serve.
        await bed.ServeOthersAsync("vss");

        // The daemon finishes, its reply is spurious: refused, the daemon reopens and must not stay frozen.
        await FaultBed.WaitUntilAsync(() => vss.RefusedWrites > refused, "late reply refused");
        await bed.AssertReregisteredAsync(vss, before);
        using (FrozenWriteProbe probe = bed.Vss.Probe())
        {
            Assert.True(probe.Completes(FaultBed.Patience), "the freeze whose reply was refused was left in place");
        }
        Assert.Empty(bed.Vss.Marker.Read());

        File.Delete(Path.Combine(bed.Vss.HooksDirectory, "10-slow"));
        bed.Vss.Host.FreezeTimeout = FaultBed.Patience;
        Assert.True((await bed.Vss.FreezeAsync()).Succeeded, bed.Vss.DaemonLog);
        Assert.True((await bed.Vss.Host.ThawAsync()).Succeeded);
        await bed.ServeOthersAsync("vss");
    }

    [RootFact]
    public async Task Host_timeouts_in_a_row_leak_nothing_and_every_following_request_is_served()
    {
        await using FaultBed bed = await FaultBed.StartAsync("--Vss:HookTimeout=00:01:00");
        SimulatedDevice vss = bed.Device("vss");
        string gate = bed.Vss.Dir.Combine("slow");
        WriteHook(bed.Vss.HooksDirectory, "10-slow", $"[ \"$1\" = freeze ] && [ -e {gate} ] && sleep 2\nexit 0");
        await TimeoutOnceAsync(bed, vss, gate);
        (int Fds, int Threads) baseline = bed.Resources();
        for (int i = 0; i < 3; i++)
        {
            await TimeoutOnceAsync(bed, vss, gate);
        }
        await bed.AssertNoLeakAsync(baseline, 3);
    }

    private static async Task TimeoutOnceAsync(FaultBed bed, SimulatedDevice vss, string gate)
    {
        File.WriteAllText(gate, "");
        int before = vss.Registrations;
        bed.Vss.Host.FreezeTimeout = HostTimeout;
        await Assert.ThrowsAsync<HostRequestException>(() => bed.Vss.FreezeAsync());
        await bed.ServeOthersAsync("vss");
        await bed.AssertReregisteredAsync(vss, before);
        File.Delete(gate);
        bed.Vss.Host.FreezeTimeout = FaultBed.Patience;
        Assert.True((await bed.Vss.FreezeAsync()).Succeeded, bed.Vss.DaemonLog);
        Assert.True((await bed.Vss.Host.ThawAsync()).Succeeded);
    }

    [RootFact]
    public async Task A_kvp_set_stuck_on_a_locked_pool_past_the_host_timeout_is_refused_late_and_the_next_is_served()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        await bed.ServeAsync("kvp");
        string pool = bed.Vss.Dir.Combine("pools", ".kvp_pool_0");
        SimulatedDevice kvp = bed.Device("kvp");
        int before = kvp.Registrations;
        int refused = kvp.RefusedWrites;
        // Another writer (cloud-init, the CLI) holds the pool lock longer than the host waits (spec/kvp.md §5).
        using var holder = System.Diagnostics.Process.Start("flock", ["-x", pool, "-c", "sleep 3"]);
        try
        {
            await FaultBed.WaitUntilAsync(() => ProcessRunner.Run("flock", ["-n", pool, "true"], check: false).ExitCode != 0, "pool locked by the holder");
            kvp.RequestTimeout = HostTimeout;
            KvpHostResult late = await bed.Kvp.SetAsync(0, "late", "value");
            Assert.NotNull(late.Failure);
            await bed.ServeOthersAsync("kvp");
            await holder.WaitForExitAsync();
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
        await FaultBed.WaitUntilAsync(() => kvp.RefusedWrites > refused, "late reply refused");
        await bed.AssertReregisteredAsync(kvp, before);
        kvp.RequestTimeout = FaultBed.Patience;
        Assert.True((await bed.Kvp.SetAsync(0, "next", "served")).Ok);
        // As with the kernel, the host was told the late SET failed though the guest applied it.
        Assert.Equal("value", (await bed.Kvp.GetAsync(0, "late")).Value);
        await bed.ServeOthersAsync("kvp");
    }

    internal static void WriteHook(string directory, string name, string body)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
