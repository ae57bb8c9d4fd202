using System.Security.Cryptography;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;
using HvUtils.Vss.Freezing;
using Xunit.Abstractions;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// Faults on one transaction against the real hvutilsd (issue 9 point 2): the host side closes
/// after delivering a request, or refuses the daemon's reply (the kernel's EINVAL). Each must
/// end with the channel re-registered within 1 s, the other channels serving throughout, and
/// the daemon holding no more descriptors or threads than before.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TransactionFaultTests(ITestOutputHelper output)
{
    private const int Rounds = 4;

    [RootFact]
    public async Task Dropped_and_refused_transactions_on_every_channel_reregister_within_a_second_and_leak_nothing()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        foreach (string name in new[] { "kvp", "vss", "fcopy" })
        {
            await bed.ServeAsync(name); // warm every path once before the baseline
        }
        await RefuseReplyAsync(bed, "kvp");
        await DropMidTransactionAsync(bed, "fcopy");
        (int Fds, int Threads) baseline = bed.Resources();
        int faults = 0;
        for (int round = 0; round < Rounds; round++)
        {
            foreach (string name in new[] { "kvp", "vss", "fcopy" })
            {
                await RefuseReplyAsync(bed, name);
                await DropMidTransactionAsync(bed, name);
                faults += 2;
            }
        }
        await bed.AssertNoLeakAsync(baseline, faults);
        Assert.False(bed.Vss.Daemon!.HasExited);
        output.WriteLine($"{faults} faults after the baseline; {bed.DelaySummary}; fds {baseline.Fds} -> {bed.Resources().Fds}");
        output.WriteLine(bed.DelayLog);
    }

    [RootFact]
    public async Task A_freeze_whose_reply_cannot_be_written_is_thawed()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        SimulatedDevice vss = bed.Device("vss");
        FreezePlanGuard.AssertOnly(bed.Vss.Filesystem.MountPoint);
        int before = vss.Registrations;
        vss.RefuseNextReply();
        await Assert.ThrowsAsync<HostRequestException>(() => bed.Vss.Host.FreezeAsync());
        using FrozenWriteProbe probe = bed.Vss.Probe();
        Assert.True(probe.Completes(FaultBed.Patience), "a freeze the host never heard of was left in place");
        await bed.AssertReregisteredAsync(vss, before);
        Assert.Empty(bed.Vss.Marker.Read());
        Assert.True((await bed.Vss.FreezeAsync()).Succeeded, bed.Vss.DaemonLog);
        Assert.True((await bed.Vss.Host.ThawAsync()).Succeeded);
    }

    [RootFact]
    public async Task A_freeze_dropped_mid_transaction_is_completed_then_thawed_and_the_channel_reopens()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        SimulatedDevice vss = bed.Device("vss");
        FreezePlanGuard.AssertOnly(bed.Vss.Filesystem.MountPoint);
        int before = vss.Registrations;
        await vss.DropMidTransactionAsync(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        await bed.ServeOthersAsync("vss");
        // Not held to 1 s from the close: the daemon first finishes the FREEZE it had read (a
        // filesystem sync, slow on a loaded disk), then its reply fails and it thaws.
        await FaultBed.WaitUntilAsync(() => vss.Registrations > before && vss.State == DeviceState.Ready, "vss re-registered");
        using (FrozenWriteProbe probe = bed.Vss.Probe())
        {
            Assert.True(probe.Completes(FaultBed.Patience), "a FREEZE dropped mid-transaction left the filesystem frozen");
        }
        Assert.Empty(bed.Vss.Marker.Read());
        await bed.ServeAsync("vss");
    }

    [RootFact]
    public async Task Back_to_back_transaction_faults_do_not_escalate_the_reconnect_delay()
    {
        await using FaultBed bed = await FaultBed.StartAsync();
        SimulatedDevice kvp = bed.Device("kvp");
        for (int i = 0; i < 12; i++)
        {
            int before = kvp.Registrations;
            kvp.RefuseNextReply();
            await Assert.ThrowsAsync<HostRequestException>(() => kvp.RequestAsync(Enumerate(), FaultBed.Patience));
            await bed.AssertReregisteredAsync(kvp, before);
        }
        // Each loss followed a handled request, so none is "flapping": a back-off doubling from
        // 10 ms to its 500 ms cap would total 3.6 s over these 12; reopening at once takes ~0.15 s.
        TimeSpan total = TimeSpan.FromTicks(bed.ReregistrationDelays.Sum(d => d.Ticks));
        Assert.True(total < TimeSpan.FromSeconds(2), $"12 reconnects took {total.TotalMilliseconds:0} ms: {bed.DelayLog}");
        output.WriteLine(bed.DelaySummary);
    }

    /// <summary>The daemon's reply is refused: the host sees HV_E_FAIL, the daemon reopens.</summary>
    private static async Task RefuseReplyAsync(FaultBed bed, string name)
    {
        SimulatedDevice device = bed.Device(name);
        int before = device.Registrations;
        device.RefuseNextReply();
        byte[] request = name switch
        {
            "kvp" => Enumerate(),
            "vss" => [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            _ => bed.Fcopy.Start("refused", bed.CopyDirectory, 0, 100),
        };
        await Assert.ThrowsAsync<HostRequestException>(() => device.RequestAsync(request, FaultBed.Patience));
        await bed.ServeOthersAsync(name);
        await bed.AssertReregisteredAsync(device, before);
        await bed.ServeAsync(name);
        Assert.False(File.Exists(Path.Combine(bed.CopyDirectory, "refused")));
    }

    private static byte[] Enumerate()
    {
        byte[] m = new byte[KvpDevice.MessageSize];
        m[0] = 3; // ENUMERATE of pool 0, index 0: read-only
        return m;
    }

    /// <summary>
    /// The connection closes right after a request is delivered. VSS: a HOT_BACKUP; FCOPY: a WRITE in the middle of a copy (the partial file must go);
    /// KVP: an ENUMERATE.
    /// </summary>
    private static async Task DropMidTransactionAsync(FaultBed bed, string name)
    {
        SimulatedDevice device = bed.Device(name);
        int before = device.Registrations;
        switch (name)
        {
            case "kvp":
                await device.DropMidTransactionAsync(Enumerate());
                break;
            case "vss":
                await device.DropMidTransactionAsync(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
                break;
            default:
                Assert.Equal(0u, await bed.Fcopy.SendAsync(bed.Fcopy.Start("partial", bed.CopyDirectory, 0, 20_000)));
                Assert.Equal(0u, await bed.Fcopy.SendAsync(FcopyMessages.Write(0, RandomNumberGenerator.GetBytes(6144))));
                await device.DropMidTransactionAsync(FcopyMessages.Write(6144, RandomNumberGenerator.GetBytes(6144)));
                break;
        }
        await bed.ServeOthersAsync(name);
        await bed.AssertReregisteredAsync(device, before);
        await bed.ServeAsync(name);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(bed.CopyDirectory), e => !Path.GetFileName(e).StartsWith('c'));
    }
}
