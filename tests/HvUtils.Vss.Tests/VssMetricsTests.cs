using System.Diagnostics.Metrics;
using HvUtils.Core.Runtime;
using HvUtils.Core.Telemetry;
using HvUtils.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Vss.Tests;

/// <summary>The issue-7 VSS instruments move with real freezes (fake FIFREEZE) as a MeterListener sees them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VssMetricsTests
{
    [Fact]
    public void Frozen_gauge_freezes_counter_and_durations_follow_a_freeze_with_a_hook()
    {
        using var dir = new TempDirectory();
        using FakeDevices devices = FakeDevices.Create();
        File.WriteAllText(dir.Combine("mountinfo"), "1 0 254:1 / / rw - ext4 /dev/sda1 rw\n2 1 254:2 / /a rw - ext4 /dev/sda2 rw\n");
        HookScripts.Write(dir.Combine("hooks"), "10-ok", "exit 0");
        using ServiceProvider provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new HvUtilsMetrics(provider.GetRequiredService<IMeterFactory>(), new ChannelRegistry());
        var options = new VssOptions { MountInfoPath = dir.Combine("mountinfo"), HooksDirectory = dir.Combine("hooks") };
        using var channel = new VssChannel(options, dir.Combine("run"), new ListLogger(), metrics, new FakeFreezeControl(), devices);

        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name.StartsWith("hvutils.vss.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Add($"{i.Name}={v}"));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add($"{i.Name}={v} {Tags(tags)}"));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add($"{i.Name} {Tags(tags)}"));
        listener.Start();

        channel.Handle(Convert.FromHexString("050000000000000000000000"), new byte[12]);
        listener.RecordObservableInstruments();
        channel.Handle(Convert.FromHexString("060000000000000000000000"), new byte[12]);
        listener.RecordObservableInstruments();

        Assert.Equal(
        [
            "hvutils.vss.hook.duration hook=10-ok operation=freeze outcome=success",
            "hvutils.vss.freezes=1 outcome=success",
            "hvutils.vss.frozen=2",
            "hvutils.vss.freeze.duration ended=thaw",
            "hvutils.vss.hook.duration hook=10-ok operation=thaw outcome=success",
            "hvutils.vss.frozen=0",
        ], seen);
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (KeyValuePair<string, object?> t in tags)
        {
            parts.Add($"{t.Key}={t.Value}");
        }
        return string.Join(' ', parts);
    }
}
