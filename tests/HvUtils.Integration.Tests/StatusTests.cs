using System.Text.Json;
using HvUtils.Cli.Status;

namespace HvUtils.Integration.Tests;

/// <summary><c>hvutils status</c> against the real daemon's control socket.</summary>
public sealed class StatusTests
{
    [Fact]
    public async Task Json_status_has_every_channel_its_traffic_and_the_daemon()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync();
        await d.SendKvpEnumerateAsync(2);

        var output = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(d.ControlSocket, json: true, output, new StringWriter()));

        using JsonDocument doc = JsonDocument.Parse(output.ToString());
        JsonElement daemon = doc.RootElement.GetProperty("daemon");
        Assert.Equal(d.Daemon.Pid, daemon.GetProperty("pid").GetInt32());
        Assert.Equal("0.1.0", daemon.GetProperty("version").GetString());
        Assert.InRange(daemon.GetProperty("uptimeSeconds").GetDouble(), 0, 120);
        JsonElement[] channels = [.. doc.RootElement.GetProperty("channels").EnumerateArray()];
        Assert.Equal(["kvp", "vss", "fcopy"], channels.Select(c => c.GetProperty("name").GetString()));
        Assert.All(channels, c => Assert.Equal("registered", c.GetProperty("state").GetString()));
        JsonElement kvp = channels[0];
        Assert.Equal(2, kvp.GetProperty("messages").GetInt64());
        Assert.Equal(0, kvp.GetProperty("reconnects").GetInt64());
        JsonElement last = kvp.GetProperty("lastRequest");
        Assert.False(string.IsNullOrEmpty(last.GetProperty("outcome").GetString()));
        Assert.InRange(last.GetProperty("at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(JsonValueKind.Null, channels[1].GetProperty("lastRequest").ValueKind);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("sections").ValueKind);
    }

    [Fact]
    public async Task Human_status_shows_state_since_and_last_request()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync(["--Fcopy:DevicePath=" + "/nonexistent-hvutils-test/hv_fcopy"], waitRegistered: false);
        await d.Sim.Kvp.WaitForStateAsync(HostSim.Devices.DeviceState.Ready, MetricsDaemon.Timeout);
        await d.SendKvpEnumerateAsync(1);

        var output = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(d.ControlSocket, json: false, output, new StringWriter()));

        string text = output.ToString();
        Assert.StartsWith($"hvutilsd 0.1.0, pid {d.Daemon.Pid}, up ", text, StringComparison.Ordinal);
        Assert.Contains("kvp: registered since ", text, StringComparison.Ordinal);
        Assert.Contains("fcopy: waiting for device since ", text, StringComparison.Ordinal);
        Assert.Contains("messages: 1, reconnects: 0", text, StringComparison.Ordinal);
        Assert.Contains("last request: ", text, StringComparison.Ordinal);
        Assert.Contains("last request: none", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_clearly_when_the_daemon_is_not_running()
    {
        string socket;
        await using (MetricsDaemon d = await MetricsDaemon.StartAsync())
        {
            socket = d.ControlSocket;
            Assert.True(File.Exists(socket));
            UnixFileMode mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(socket);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
            Assert.Equal(0, await d.Daemon.StopAsync());
            Assert.False(File.Exists(socket), "the daemon removes its socket on shutdown");

            var error = new StringWriter();
            Assert.Equal(StatusCommand.NotRunning, StatusCommand.Run(socket, json: false, new StringWriter(), error));
            Assert.Contains("hvutilsd is not running", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_stale_socket_file_reads_as_not_running()
    {
        using var dir = new Testing.TempDirectory();
        string path = dir.Combine("control.sock");
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            s.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path)); // bound, never listening, then closed: like a crashed daemon
        }
        var error = new StringWriter();
        Assert.Equal(StatusCommand.NotRunning, StatusCommand.Run(path, json: true, new StringWriter(), error));
        Assert.Contains("not running", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public void The_socket_is_found_under_the_runtime_directory_of_the_same_configuration()
    {
        using var dir = new Testing.TempDirectory();
        string file = dir.Combine("appsettings.json");
        File.WriteAllText(file, $$"""{ "Runtime": { "Directory": "{{dir.Combine("run")}}" } }""");

        Assert.Equal(dir.Combine("run", "control.sock"), StatusCommand.SocketFromConfiguration(file));
    }
}
