using Microsoft.Extensions.Configuration;

namespace HvUtils.Core.Configuration;

/// <summary>
/// The layered configuration shared by hvutilsd, hvutils and the tests (design.md):
/// defaults beside the binary, then the admin file (<c>/etc/hvutils/appsettings.json</c>
/// or <c>--config</c>), then <c>HVUTILS_Section__Key</c>, then the command line.
/// </summary>
public static class HvUtilsConfiguration
{
    public const string DefaultAdminFile = "/etc/hvutils/appsettings.json";
    public const string EnvironmentPrefix = "HVUTILS_";

    /// <summary>The directory of the resolved executable: defaults live there, whatever the working directory (stack.md).</summary>
    public static string ContentRoot => AppContext.BaseDirectory;

    /// <summary>
    /// Builds the configuration. An explicit <paramref name="configPath"/> must exist; the
    /// default admin file is optional. Throws <see cref="ConfigurationException"/> for a
    /// missing or unparsable file.
    /// </summary>
    public static IConfigurationRoot Build(string? configPath, IEnumerable<string> commandLine, string? contentRoot = null)
    {
        string root = contentRoot ?? ContentRoot;
        string adminFile = configPath ?? DefaultAdminFile;
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new ConfigurationException(new ConfigurationError("--config", configPath, "the file does not exist"));
        }
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.GetFullPath(adminFile), optional: configPath is null, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine([.. commandLine]);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            throw new ConfigurationException(new ConfigurationError(adminFile, "", ex.InnerException?.Message ?? ex.Message));
        }
    }
}
