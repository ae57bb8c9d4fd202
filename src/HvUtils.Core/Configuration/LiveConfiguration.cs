using Microsoft.Extensions.Configuration;

namespace HvUtils.Core.Configuration;

/// <summary>
/// hvutilsd's configuration as one provider holding a validated snapshot of the layered
/// configuration (<see cref="HvUtilsConfiguration"/>). A reload rebuilds the layers into a
/// candidate, which is staged, checked and only then committed — so a broken admin file
/// never reaches the options (the JSON provider's own reload would clear its keys first).
/// </summary>
public static class LiveConfiguration
{
    /// <summary>Builds the configuration as <see cref="HvUtilsConfiguration.Build"/> does, behind a <see cref="LiveConfigurationProvider"/>.</summary>
    public static IConfigurationRoot Build(string? configPath, IEnumerable<string> commandLine, string? contentRoot = null)
    {
        string[] args = [.. commandLine];
        var source = new LiveConfigurationSource(() => HvUtilsConfiguration.Build(configPath, args, contentRoot),
            Path.GetFullPath(configPath ?? HvUtilsConfiguration.DefaultAdminFile));
        return new ConfigurationBuilder().Add(source).Build();
    }

    /// <summary>The live provider behind <paramref name="configuration"/>, or null when it was built another way.</summary>
    public static LiveConfigurationProvider? ProviderOf(IConfiguration configuration) =>
        (configuration as IConfigurationRoot)?.Providers.OfType<LiveConfigurationProvider>().FirstOrDefault();
}

public sealed class LiveConfigurationSource(Func<IConfigurationRoot> layers, string adminFile) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new LiveConfigurationProvider(layers, adminFile);
}

public sealed class LiveConfigurationProvider(Func<IConfigurationRoot> layers, string adminFile) : ConfigurationProvider
{
    /// <summary>The admin file whose edits are reloaded.</summary>
    public string AdminFile { get; } = adminFile;

    /// <summary>First load: a bad file throws <see cref="ConfigurationException"/> and start-up stops with 78.</summary>
    public override void Load() => Data = ReadLayers();

    /// <summary>Reads every layer again (files, environment, command line); throws <see cref="ConfigurationException"/>.</summary>
    public Dictionary<string, string?> ReadLayers()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in layers().AsEnumerable())
        {
            data[pair.Key] = pair.Value;
        }
        return data;
    }

    /// <summary>A copy of the keys currently in force.</summary>
    public Dictionary<string, string?> Snapshot() => new(Data, StringComparer.OrdinalIgnoreCase);

    /// <summary>Puts <paramref name="data"/> in place without telling anyone (to check it); returns what was there.</summary>
    public IDictionary<string, string?> Stage(IDictionary<string, string?> data)
    {
        IDictionary<string, string?> old = Data;
        Data = data;
        return old;
    }

    /// <summary>Signals the staged keys to every options monitor and the logging filters.</summary>
    public void Commit() => OnReload();
}
