using System.Diagnostics;
using System.Security.Cryptography;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// One device goes away and comes back (spec/transport.md §11): the kernel's faked THAW /
/// CANCEL_FCOPY whose reply write fails, or KVP's plain close, then no device node until
/// resume. The other two channels must serve throughout; the returning one must be back
/// within 1 s of its node reappearing, with nothing left frozen or half-copied.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HibernationTests
{
    [RootFact]
    public async Task Vss_hibernating_while_frozen_thaws_and_the_others_keep_serving()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        Assert.True((await bed.Vss.FreezeAsync()).Succeeded, bed.Vss.DaemonLog);
        using FrozenWriteProbe probe = bed.Vss.Probe();
        await bed.Device("vss").HibernateAsync(FaultBed.Patience);
        Assert.True(probe.Completes(FaultBed.Patience), "the faked THAW did not thaw");
        Assert.Empty(bed.Vss.Marker.Read());
        await OutageAsync(bed, "vss");
        Assert.True((await bed.Vss.FreezeAsync()).Succeeded, bed.Vss.DaemonLog);
        Assert.True((await bed.Vss.Host.ThawAsync()).Succeeded);
    }

    [RootFact]
    public async Task Fcopy_hibernating_mid_copy_removes_the_partial_file_and_the_others_keep_serving()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        Assert.Equal(0u, await bed.Fcopy.SendAsync(bed.Fcopy.Start("interrupted", bed.CopyDirectory, 0, 50_000)));
        Assert.Equal(0u, await bed.Fcopy.SendAsync(FcopyMessages.Write(0, RandomNumberGenerator.GetBytes(6144))));
        await bed.Device("fcopy").HibernateAsync(FaultBed.Patience);
        await OutageAsync(bed, "fcopy");
        Assert.Equal(["c1"], Directory.GetFileSystemEntries(bed.CopyDirectory).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(bed.Vss.Dir.Combine("run")), e => e.Contains("fcopy", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Kvp_hibernating_keeps_its_pools_and_the_others_keep_serving()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        await bed.ServeAsync("kvp");
        string pool = bed.Vss.Dir.Combine("pools", ".kvp_pool_0");
        byte[] before = await File.ReadAllBytesAsync(pool);
        await bed.Device("kvp").HibernateAsync(FaultBed.Patience);
        await OutageAsync(bed, "kvp");
        Assert.Equal("v-k1", (await bed.Kvp.GetAsync(0, "k1")).Value);
        Assert.Equal(before.Length + 2560, new FileInfo(pool).Length);
        Assert.Equal(before, (await File.ReadAllBytesAsync(pool))[..before.Length]);
    }

    [RootFact]
    public async Task Repeated_hibernation_of_every_channel_leaks_nothing()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        foreach (string name in new[] { "kvp", "vss", "fcopy" })
        {
            await bed.Device(name).HibernateAsync(FaultBed.Patience);
            await OutageAsync(bed, name);
        }
        (int Fds, int Threads) baseline = bed.Resources();
        for (int round = 0; round < 3; round++)
        {
            foreach (string name in new[] { "kvp", "vss", "fcopy" })
            {
                await bed.Device(name).HibernateAsync(FaultBed.Patience);
                await OutageAsync(bed, name);
            }
        }
        await bed.AssertNoLeakAsync(baseline, 9);
    }

    /// <summary>While <paramref name="name"/> is gone the others serve; after resume it is back within 1 s and serves.</summary>
    private static async Task OutageAsync(FaultBed bed, string name)
    {
        SimulatedDevice device = bed.Device(name);
        Assert.Equal(DeviceState.Closed, device.State);
        await bed.ServeOthersAsync(name);
        await bed.ServeOthersAsync(name);
        Assert.Equal(DeviceState.Closed, device.State);
        var resumed = Stopwatch.StartNew();
        device.Resume();
        await device.WaitForStateAsync(DeviceState.Ready, FaultBed.Patience);
        Assert.True(resumed.Elapsed < FaultBed.Reregistration, $"{name} registered {resumed.ElapsedMilliseconds} ms after its device came back");
        await bed.ServeAsync(name);
    }
}
