using System.CommandLine;
using HvUtils.Cli.Config;
using HvUtils.Cli.Vss;
using HvUtils.Cli.Status;

// hvutils: the admin and guest-side tool for hvutilsd.
var configOption = new Option<string?>("--config")
{
    Description = "Admin configuration file (default /etc/hvutils/appsettings.json), the same one hvutilsd reads.",
    Recursive = true,
};
var root = new RootCommand("hvutils: inspect and drive the HvUtils Hyper-V guest services.") { configOption };
root.Subcommands.Add(ConfigCommands.Create(configOption));
root.Subcommands.Add(HvUtils.Cli.Kvp.KvpCommands.Create(configOption));
root.Subcommands.Add(VssCommands.Create(configOption));
root.Subcommands.Add(StatusCommand.Create(configOption));
return await root.Parse(args).InvokeAsync();
