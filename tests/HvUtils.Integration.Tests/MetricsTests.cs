using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HvUtils.Cli.Status;
using HvUtils.HostSim.Devices;

namespace HvUtils.Integration.Tests;

/// <summary>Known traffic through the simulator into the real daemon, then a real HTTP scrape of /metrics.</summary>
public sealed class MetricsTests
{
    private const string Messages = "hvutils_channel_messages_total";
    private const string DurationCount = "hvutils_channel_message_duration_seconds_count";
    private const string State = "hvutils_channel_state";
    private const string Reconnects = "hvutils_channel_reconnects_total";

    [Fact]
    public async Task Message_counters_move_by_exactly_the_requests_sent()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync();
        PrometheusScrape before = await d.ScrapeAsync();

        await d.SendKvpEnumerateAsync(5);

        PrometheusScrape after = await d.ScrapeAsync();
        Assert.Equal(5, after.Sum(Messages, ("channel", "kvp")) - before.Sum(Messages, ("channel", "kvp")));
        Assert.Equal(5, after.Sum(DurationCount, ("channel", "kvp")) - before.Sum(DurationCount, ("channel", "kvp")));
        Assert.Equal(0, after.Sum(Messages, ("channel", "vss")));
        Assert.Equal(0, after.Sum(Messages, ("channel", "fcopy")));
        // The outcome label is the one the daemon reports as the last request's outcome.
        string outcome = LastOutcome(d, "kvp");
        Assert.Equal(5, after.Sum(Messages, ("channel", "kvp"), ("outcome", outcome)));
        // Seconds histogram with buckets from 1 µs to 10 s (issue 7 point 1).
        Assert.True(after.Has("hvutils_channel_message_duration_seconds_bucket", ("channel", "kvp"), ("le", "1E-06"))
            || after.Has("hvutils_channel_message_duration_seconds_bucket", ("channel", "kvp"), ("le", "1e-06")), after.Text);
        Assert.True(after.Has("hvutils_channel_message_duration_seconds_bucket", ("channel", "kvp"), ("le", "10")), after.Text);
    }

    [Fact]
    public async Task State_gauge_and_reconnects_follow_a_device_that_goes_away_and_comes_back()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync();
        PrometheusScrape registered = await d.ScrapeAsync();
        foreach (string channel in new[] { "kvp", "vss", "fcopy" })
        {
            Assert.Equal(1, registered.Sum(State, ("channel", channel), ("state", "registered")));
            Assert.Equal(0, registered.Sum(State, ("channel", channel), ("state", "waiting")));
            Assert.Equal(0, registered.Sum(State, ("channel", channel), ("state", "error")));
        }
        Assert.Equal(0, registered.Sum(Reconnects, ("channel", "kvp")));

        string path = d.Sim.Kvp.Path;
        await d.Sim.Kvp.DisposeAsync();
        PrometheusScrape gone = await ScrapeUntilAsync(d, s => s.Sum(State, ("channel", "kvp"), ("state", "registered")) == 0);
        Assert.Equal(1, gone.Sum(State, ("channel", "kvp"), ("state", "waiting")) + gone.Sum(State, ("channel", "kvp"), ("state", "error")));
        Assert.Equal(1, gone.Sum(Reconnects, ("channel", "kvp")));
        Assert.Equal(0, gone.Sum(Reconnects, ("channel", "vss")));
        Assert.Equal(1, gone.Sum(State, ("channel", "vss"), ("state", "registered")));

        await using var back = new KvpDevice(path);
        back.Start();
        await back.WaitForStateAsync(DeviceState.Ready, MetricsDaemon.Timeout);
        PrometheusScrape again = await ScrapeUntilAsync(d, s => s.Sum(State, ("channel", "kvp"), ("state", "registered")) == 1);
        Assert.Equal(0, again.Sum(State, ("channel", "kvp"), ("state", "error")) + again.Sum(State, ("channel", "kvp"), ("state", "waiting")));
        Assert.Equal(1, again.Sum(Reconnects, ("channel", "kvp")));
    }

    [Fact]
    public async Task A_taken_port_does_not_stop_the_daemon_and_the_endpoint_comes_up_when_it_is_free()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        MetricsDaemon d;
        try
        {
            d = await MetricsDaemon.StartAsync(port: port);
            await d.WaitForOutputAsync(l => l.Contains("could not start", StringComparison.Ordinal));
            Assert.False(d.Daemon.HasExited);
        }
        finally
        {
            holder.Stop();
        }
        await using (d)
        {
            await d.WaitForOutputAsync(l => l.Contains("Prometheus endpoint listening", StringComparison.Ordinal));
            await d.SendKvpEnumerateAsync(2);
            PrometheusScrape scrape = await d.ScrapeAsync();
            Assert.Equal(2, scrape.Sum(Messages, ("channel", "kvp")));
        }
    }

    [Fact]
    public async Task Disabled_endpoint_does_not_listen()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync(["--Telemetry:Prometheus:Enabled=false"]);
        await Assert.ThrowsAsync<HttpRequestException>(d.ScrapeAsync);
    }

    internal static string LastOutcome(MetricsDaemon d, string channel)
    {
        var output = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(d.ControlSocket, json: true, output, new StringWriter()));
        using JsonDocument doc = JsonDocument.Parse(output.ToString());
        JsonElement c = doc.RootElement.GetProperty("channels").EnumerateArray().Single(e => e.GetProperty("name").GetString() == channel);
        return c.GetProperty("lastRequest").GetProperty("outcome").GetString()!;
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(MetricsDaemon d, Func<PrometheusScrape, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + MetricsDaemon.Timeout;
        PrometheusScrape scrape;
        do
        {
            scrape = await d.ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"condition not met; last scrape:\n{scrape.Text}");
    }
}
