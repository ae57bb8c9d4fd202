using System.Text.Json;
using HvUtils.Cli.Status;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>While a real loop filesystem is frozen, <c>hvutils status</c> lists it and configuration reloads wait (design.md rule 4).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VssStatusAndReloadTests
{
    [RootFact]
    public async Task Status_lists_the_frozen_mount_and_a_reload_waits_for_the_thaw()
    {
        using var configDir = new TempDirectory();
        string admin = configDir.Combine("appsettings.json");
        File.WriteAllText(admin, """{ "Kvp": { "MaxRecordsPerPool": 1000 } }""");
        await using VssTestBed bed = await VssTestBed.StartAsync("--config", admin);
        string socket = bed.Dir.Combine("run", "control.sock");

        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        JsonElement vss = Status(socket).GetProperty("sections").GetProperty("vss");
        Assert.True(vss.GetProperty("frozen").GetBoolean());
        Assert.Equal([bed.Filesystem.MountPoint], vss.GetProperty("frozenMounts").EnumerateArray().Select(e => e.GetString()));

        File.WriteAllText(admin, """{ "Kvp": { "MaxRecordsPerPool": 2000 } }""");
        await bed.WaitForLogAsync("configuration reload deferred");
        Assert.DoesNotContain("configuration reloaded from", bed.DaemonLog, StringComparison.Ordinal);

        Assert.True((await bed.Host.ThawAsync()).Succeeded);
        Assert.False(Status(socket).GetProperty("sections").GetProperty("vss").GetProperty("frozen").GetBoolean());
        await bed.WaitForLogAsync("configuration reloaded from");
    }

    [RootFact]
    public async Task A_reloaded_freeze_deadline_applies_to_the_next_freeze()
    {
        using var configDir = new TempDirectory();
        string admin = configDir.Combine("appsettings.json");
        File.WriteAllText(admin, """{ "Vss": { "FreezeDeadline": "00:10:00" } }""");
        await using VssTestBed bed = await VssTestBed.StartAsync("--config", admin);
        File.WriteAllText(admin, """{ "Vss": { "FreezeDeadline": "00:00:01" } }""");
        await bed.WaitForLogAsync("configuration reloaded from");

        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        using FrozenWriteProbe probe = bed.Probe();
        Assert.True(probe.Completes(TimeSpan.FromSeconds(15)), "the reloaded 1 s deadline did not thaw");
        // The daemon's output is captured asynchronously (and held while frozen): wait for it.
        await bed.WaitForLogAsync("VSS settings reloaded");
        await bed.WaitForLogAsync("no THAW within the freeze deadline of 00:00:01");
    }

    private static JsonElement Status(string socket)
    {
        var output = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(socket, json: true, output, new StringWriter()));
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }
}
