namespace HvUtils.Core.Configuration;

// Which keys a reload cannot change in a running daemon (docs/monitoring.md has the table).
public sealed partial class ConfigurationReloader
{
    /// <summary>
    /// Keys read once at start: which channels run and on which device, where pools and the
    /// runtime directory live, and every exporter setting (listeners are bound once). All
    /// other keys apply live to services that read them through IOptionsMonitor.
    /// </summary>
    private static readonly string[] RestartOnlyPatterns =
    [
        "Kvp:Enabled", "Vss:Enabled", "Fcopy:Enabled",
        "Kvp:DevicePath", "Vss:DevicePath", "Fcopy:DevicePath",
        "Kvp:PoolDirectory", "Fcopy:Transport", "Fcopy:SysfsRoot", "Fcopy:DevRoot", "Fcopy:AutoBindUio",
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
