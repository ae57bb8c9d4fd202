using System.Diagnostics.Metrics;
using HvUtils.Core.Runtime;

namespace HvUtils.Core.Telemetry;

/// <summary>
/// The one "HvUtils" meter and the instruments every channel shares (design.md rule 6:
/// names <c>hvutils.&lt;service&gt;.&lt;thing&gt;</c>, UCUM units, outcome in attributes).
/// Services create their own instruments from <see cref="Meter"/>.
/// </summary>
public sealed class HvUtilsMetrics
{
    public const string MeterName = "HvUtils";

    /// <summary>1 µs to 10 s, for durations measured in seconds (stack.md: default buckets assume milliseconds).</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
    [
        0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    private static readonly string[] States = ["waiting", "registered", "error"];

    public HvUtilsMetrics(IMeterFactory meterFactory, ChannelRegistry registry)
    {
        Meter = meterFactory.Create(MeterName);
        Meter.CreateObservableCounter("hvutils.channel.messages", () => ObserveMessages(registry), "{message}", "Requests handled, by channel, operation and outcome.");
        MessageDuration = CreateSecondsHistogram("hvutils.channel.message.duration", "Time from reading a request to writing its reply.");
        Reconnects = Meter.CreateCounter<long>("hvutils.channel.reconnects", "{reconnect}", "Times a channel closed its device and started over.");
        Meter.CreateObservableGauge("hvutils.channel.state", () => ObserveStates(registry), "{state}",
            "1 for the channel's current state (waiting, registered, error), 0 for the others.");
    }

    public Meter Meter { get; }

    public Histogram<double> MessageDuration { get; }

    public Counter<long> Reconnects { get; }

    /// <summary>A histogram in seconds with buckets from 1 µs to 10 s.</summary>
    public Histogram<double> CreateSecondsHistogram(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>
    /// Counted by each runner's <see cref="MessageCounts"/>, so the message path skips the SDK's
    /// tag lookup. The SDK runs this callback before it reads the synchronous instruments of a
    /// collection, so the runners' stored durations (<see cref="PendingDurations"/>) are recorded
    /// here first: the histogram then counts the same messages as this counter.
    /// </summary>
    private static IEnumerable<Measurement<long>> ObserveMessages(ChannelRegistry registry)
    {
        foreach (ChannelRunner runner in registry.Runners)
        {
            runner.FlushDurations();
            foreach ((string operation, string outcome, long count) in runner.MessageCounts.Snapshot())
            {
                yield return new Measurement<long>(count,
                    new KeyValuePair<string, object?>("channel", runner.Name),
                    new KeyValuePair<string, object?>("operation", operation),
                    new KeyValuePair<string, object?>("outcome", outcome));
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveStates(ChannelRegistry registry)
    {
        foreach (ChannelStatus status in registry.Statuses())
        {
            string current = StateName(status.State);
            foreach (string state in States)
            {
                yield return new Measurement<int>(state == current ? 1 : 0,
                    new KeyValuePair<string, object?>("channel", status.Channel),
                    new KeyValuePair<string, object?>("state", state));
            }
        }
    }

    /// <summary>The metric/status word for a state: Starting counts as waiting, Stopped as error.</summary>
    public static string StateName(ChannelState state) => state switch
    {
        ChannelState.Registered => "registered",
        ChannelState.Error or ChannelState.Stopped => "error",
        _ => "waiting",
    };
}
