using System.CommandLine;
using HvUtils.Cli.Config;
using HvUtils.Core.Configuration;
using HvUtils.Vss;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Cli.Vss;

/// <summary><c>hvutils vss plan [--json]</c> and <c>hvutils vss thaw</c>, reading the same configuration as hvutilsd.</summary>
public static class VssCommands
{
    public static Command Create(Option<string?> configOption)
    {
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var plan = new Command("plan", "Show what a FREEZE would freeze, in order, and why every other mount is skipped.") { json };
        plan.SetAction(parse => WithSettings(parse.GetValue(configOption), Console.Error,
            (vss, _) => VssPlanCommand.Run(vss, parse.GetValue(json), Console.Out)));
        var thaw = new Command("thaw", "Thaw every filesystem the freeze marker lists (for ExecStopPost= and admins after a crash).");
        thaw.SetAction(parse => WithSettings(parse.GetValue(configOption), Console.Error,
            (_, runtime) => VssThawCommand.Run(runtime, Console.Out, Console.Error)));
        return new Command("vss", "Inspect and recover the VSS (backup freeze) service.") { plan, thaw };
    }

    /// <summary>Loads and validates the configuration like hvutilsd (exit 78 when invalid), then runs <paramref name="action"/>.</summary>
    public static int WithSettings(string? configPath, TextWriter error, Func<VssOptions, RuntimeOptions, int> action)
    {
        (IConfigurationRoot? configuration, IReadOnlyList<ConfigurationError> errors) = ConfigCheck.Load(configPath);
        if (errors.Count > 0 || configuration is null)
        {
            foreach (ConfigurationError e in errors)
            {
                error.WriteLine($"hvutils: {e}");
            }
            return ConfigurationException.ExitCode;
        }
        var services = new ServiceCollection();
        services.AddCoreOptions(configuration);
        services.AddVssOptions(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return action(provider.GetRequiredService<IOptions<VssOptions>>().Value, provider.GetRequiredService<IOptions<RuntimeOptions>>().Value);
    }
}
