using System.Net;
using System.Text;

namespace HvUtils.Integration.Tests;

/// <summary>The OTLP exporter against an OTLP/HTTP receiver on loopback (POST /v1/metrics, protobuf body).</summary>
public sealed class MetricsOtlpTests
{
    [Fact]
    public async Task Exports_the_channel_metrics_over_otlp_http_protobuf()
    {
        int port = MetricsDaemon.FreePort();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        await using MetricsDaemon d = await MetricsDaemon.StartAsync(
        [
            "--Telemetry:Prometheus:Enabled=false",
            "--Telemetry:Otlp:Enabled=true",
            $"--Telemetry:Otlp:Endpoint=http://127.0.0.1:{port}",
            "--Telemetry:Otlp:Protocol=http/protobuf",
            "--Telemetry:Otlp:Interval=00:00:01",
        ]);
        await d.SendKvpEnumerateAsync(3);

        // Every export is a full cumulative snapshot: wait for one that carries the message counter.
        DateTime deadline = DateTime.UtcNow + MetricsDaemon.Timeout;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "no OTLP export with hvutils.channel.messages arrived");
            HttpListenerContext ctx = await receiver.GetContextAsync().WaitAsync(MetricsDaemon.Timeout);
            Assert.Equal("POST", ctx.Request.HttpMethod);
            Assert.Equal("/v1/metrics", ctx.Request.Url!.AbsolutePath);
            Assert.Equal("application/x-protobuf", ctx.Request.ContentType);
            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/x-protobuf";
            ctx.Response.Close();
            byte[] bytes = body.ToArray();
            Assert.True(Contains(bytes, "hvutils.channel.state"), "the state gauge is in every export");
            Assert.True(Contains(bytes, "hvutilsd"), "service.name resource attribute");
            if (Contains(bytes, "hvutils.channel.messages") && Contains(bytes, "hvutils.channel.message.duration"))
            {
                break;
            }
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
