using System.Diagnostics.Metrics;
using HvUtils.Core.Runtime;

namespace HvUtils.Core.Tests;

/// <summary>The ring that carries message durations from the channel thread into the duration histogram.</summary>
public sealed class PendingDurationsTests : IDisposable
{
    private readonly Meter _meter = new($"test-{Guid.NewGuid():N}");
    private readonly Histogram<double> _histogram;
    private readonly MeterListener _listener = new();
    private readonly List<(double Seconds, string Channel, string Operation, string Outcome)> _recorded = [];

    public PendingDurationsTests()
    {
        _histogram = _meter.CreateHistogram<double>("hvutils.channel.message.duration", "s");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            Dictionary<string, string> t = [];
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = (string)tag.Value!;
            }
            lock (_recorded)
            {
                _recorded.Add((value, t["channel"], t["operation"], t["outcome"]));
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Durations_are_recorded_in_order_with_their_tags_when_drained_or_when_the_ring_fills()
    {
        var pending = new PendingDurations(_histogram, "kvp");
        for (int i = 0; i < 300; i++)
        {
            pending.Add(i % 2 == 0 ? "set" : "get", i % 3 == 0 ? "success" : "not_found", i);
        }
        // The 257th Add found the ring full and recorded the 256 before it.
        Assert.Equal(256, _recorded.Count);
        Assert.Equal(44, pending.Count);
        pending.Drain();
        Assert.Equal(0, pending.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), _recorded.Select(r => r.Seconds));
        Assert.All(_recorded, r => Assert.Equal("kvp", r.Channel));
        Assert.Equal("get", _recorded[7].Operation);
        Assert.Equal("not_found", _recorded[7].Outcome);
        Assert.Equal("set", _recorded[6].Operation);
        Assert.Equal("success", _recorded[6].Outcome);
        pending.Drain();
        Assert.Equal(300, _recorded.Count); // nothing twice
    }

    [Fact]
    public void A_drainer_on_another_thread_records_every_duration_exactly_once()
    {
        var pending = new PendingDurations(_histogram, "fcopy");
        const int N = 200_000;
        var writer = new Thread(() =>
        {
            for (int i = 1; i <= N; i++)
            {
                pending.Add("write", "success", i);
            }
        });
        writer.Start();
        while (writer.IsAlive)
        {
            pending.Drain(); // as a collection running while the channel serves
        }
        writer.Join();
        pending.Drain();
        Assert.Equal(N, _recorded.Count);
        Assert.Equal((double)N * (N + 1) / 2, _recorded.Sum(r => r.Seconds));
        Assert.Equal(Enumerable.Range(1, N).Select(i => (double)i), _recorded.Select(r => r.Seconds)); // oldest first
    }
}
