namespace HvUtils.Core.Hosting;

/// <summary>hvutilsd's own switches; everything else is configuration (<c>--Section:Key=value</c>).</summary>
public sealed record DaemonArguments(string? ConfigPath, bool Debug, bool Help, bool Version, IReadOnlyList<string> Configuration)
{
    public const string Usage = """
        usage: hvutilsd [--config PATH] [--debug] [--Section:Key=value ...]

        Runs the Hyper-V guest services KVP, VSS and FCOPY.
          --config PATH   admin configuration file (default /etc/hvutils/appsettings.json)
          --debug         log at Debug level
          --version       print the version and exit
        Any setting can be given as --Section:Key=value or HVUTILS_Section__Key=value.
        """;

    public static DaemonArguments Parse(IReadOnlyList<string> args)
    {
        string? config = null;
        bool debug = false, help = false, version = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--config" when i + 1 < args.Count:
                    config = args[++i];
                    break;
                case "--debug" or "-d":
                    debug = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                default:
                    if (a.StartsWith("--config=", StringComparison.Ordinal))
                    {
                        config = a["--config=".Length..];
                    }
                    else
                    {
                        rest.Add(a);
                    }
                    break;
            }
        }
        return new DaemonArguments(config, debug, help, version, rest);
    }
}
