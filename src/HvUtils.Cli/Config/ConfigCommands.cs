using System.CommandLine;

namespace HvUtils.Cli.Config;

/// <summary><c>hvutils config …</c></summary>
public static class ConfigCommands
{
    public static Command Create(Option<string?> configOption)
    {
        var json = new Option<bool>("--json") { Description = "Print the effective settings as JSON." };
        var check = new Command("check", "Validate the configuration as hvutilsd would and print the effective settings (exit 78 when invalid).") { json };
        check.SetAction(parse => ConfigCheck.Run(parse.GetValue(configOption), parse.GetValue(json), Console.Out, Console.Error));
        return new Command("config", "Inspect hvutilsd's configuration.") { check };
    }
}
