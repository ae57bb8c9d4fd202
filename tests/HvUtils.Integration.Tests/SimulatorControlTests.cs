using HvUtils.HostSim;
using HvUtils.HostSim.Session;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>`hvsim serve` answers `hvsim ctl` over its control socket.</summary>
public sealed class SimulatorControlTests
{
    [Fact]
    public async Task Ctl_status_reports_each_device_of_the_serving_simulator()
    {
        using var dir = new TempDirectory();
        await using HostSimulator sim = HostSimulator.Create(dir.Combine("sim"));
        using var server = new ControlServer(sim, dir.Combine("sim", "hvsim.sock"));
        using var cts = new CancellationTokenSource();
        Task serving = server.RunAsync(cts.Token);
        var output = new StringWriter();
        for (int i = 0; i < 50 && !File.Exists(server.SocketPath); i++)
        {
            await Task.Delay(20);
        }
        int code = await ControlServer.SendAsync(server.SocketPath, ["status"], output);
        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("kvp    Closed", text);
        Assert.Contains("vss    Closed", text);
        Assert.Contains("fcopy  Closed", text);

        var unknown = new StringWriter();
        Assert.Equal(2, await ControlServer.SendAsync(server.SocketPath, ["nonsense"], unknown));
        Assert.Contains("unknown command", unknown.ToString());
        cts.Cancel();
        await serving;
    }

    [Fact]
    public async Task Ctl_without_a_serving_simulator_says_how_to_start_one()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        Assert.Equal(1, await ControlServer.SendAsync(dir.Combine("hvsim.sock"), ["status"], output));
        Assert.Contains("hvsim serve", output.ToString());
    }
}
