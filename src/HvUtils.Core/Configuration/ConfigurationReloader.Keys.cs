namespace HvUtils.Core.Configuration;

// Which keys a reload cannot change in a running daemon (docs/monitoring.md has the table).
public sealed partial class ConfigurationReloader
{
    /// <summary>
    /// Keys read once at start: which channels run and on which device, the KVP and FCOPY
    /// services (built once with their pools, roots and network backends), the runtime
    /// directory, and every exporter setting (listeners are bound once). What remains applies
    /// live: log levels at once, the VSS planner, hooks and deadline at the next FREEZE.
    /// </summary>
    private static readonly string[] RestartOnlyPatterns =
    [
        "Kvp:*", "Fcopy:*",
        "Vss:Enabled", "Vss:DevicePath", "Vss:AlreadyFrozen",
        "Telemetry:*", "Runtime:*",
    ];

    public static bool RequiresRestart(string key)
    {
        foreach (string pattern in RestartOnlyPatterns)
        {
            bool match = pattern.EndsWith(":*", StringComparison.Ordinal)
                ? key.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase) || key.Equals(pattern[..^2], StringComparison.OrdinalIgnoreCase)
                : key.Equals(pattern, StringComparison.OrdinalIgnoreCase);
            if (match)
            {
                return true;
            }
        }
        return false;
    }
}
