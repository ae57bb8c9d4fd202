using System.CommandLine;
using HvUtils.Core.Configuration;
using HvUtils.Core.Status;

namespace HvUtils.Cli.Status;

/// <summary><c>hvutils status [--json] [--socket PATH]</c>: asks the running hvutilsd over its control socket.</summary>
public static class StatusCommand
{
    /// <summary>EX_UNAVAILABLE: the daemon is not running.</summary>
    public const int NotRunning = 69;

    /// <summary>EX_NOPERM: the daemon refused us (not root).</summary>
    public const int PermissionDenied = 77;

    public static Command Create(Option<string?> configOption)
    {
        var json = new Option<bool>("--json") { Description = "Print the daemon's answer as JSON." };
        var socket = new Option<string?>("--socket") { Description = "Control socket (default: control.sock under Runtime:Directory, /run/hvutils)." };
        var status = new Command("status", "Show hvutilsd's channels, their state and last request, frozen mounts, version and uptime.") { json, socket };
        status.SetAction(parse =>
        {
            string path = parse.GetValue(socket) ?? SocketFromConfiguration(parse.GetValue(configOption));
            return Run(path, parse.GetValue(json), Console.Out, Console.Error);
        });
        return status;
    }

    /// <summary>The same layered configuration as hvutilsd, so both agree on Runtime:Directory.</summary>
    public static string SocketFromConfiguration(string? configPath)
    {
        string directory;
        try
        {
            directory = HvUtilsConfiguration.Build(configPath, [])[$"{RuntimeOptions.Section}:Directory"] is { Length: > 0 } d ? d : new RuntimeOptions().Directory;
        }
        catch (ConfigurationException)
        {
            directory = new RuntimeOptions().Directory;
        }
        return ControlSocket.PathIn(directory);
    }

    public static int Run(string socketPath, bool json, TextWriter output, TextWriter error)
    {
        StatusReply reply = StatusClient.Query(socketPath, TimeSpan.FromSeconds(10));
        switch (reply.Outcome)
        {
            case StatusOutcome.NotRunning:
                error.WriteLine($"hvutils: hvutilsd is not running ({reply.Detail}).");
                error.WriteLine("Start it with: systemctl start hvutilsd");
                return NotRunning;
            case StatusOutcome.PermissionDenied:
                error.WriteLine($"hvutils: {reply.Detail}. Run hvutils status as root.");
                return PermissionDenied;
            case StatusOutcome.Failed:
                error.WriteLine($"hvutils: status failed: {reply.Detail}");
                return 1;
        }
        if (json)
        {
            output.WriteLine(reply.Json);
            return 0;
        }
        StatusText.Write(reply.Json!, DateTimeOffset.UtcNow, output);
        return 0;
    }
}
