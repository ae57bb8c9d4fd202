using System.Text;
using System.Text.Json;
using HvUtils.Core.Configuration;
using HvUtils.Fcopy;
using HvUtils.Kvp;
using HvUtils.Vss;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Cli.Config;

/// <summary>
/// <c>hvutils config check</c>: loads the configuration exactly as hvutilsd does, validates
/// every section with the same validators, and prints the effective settings.
/// </summary>
public static class ConfigCheck
{
    /// <summary>Loads and validates; returns the configuration, or the errors that would stop hvutilsd.</summary>
    public static (IConfigurationRoot? Configuration, IReadOnlyList<ConfigurationError> Errors) Load(string? configPath)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = HvUtilsConfiguration.Build(configPath, []);
        }
        catch (ConfigurationException ex)
        {
            return (null, [ex.Error]);
        }
        var services = new ServiceCollection();
        AddAllOptions(services, configuration);
        OptionsSections sections = OptionsRegistration.Sections(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex)
        {
            IReadOnlyList<ConfigurationError> errors = ConfigurationErrors.From(ex, configuration, sections);
            return (configuration, errors.Count > 0 ? errors : [new ConfigurationError("configuration", "", ex.Message)]);
        }
        return (configuration, []);
    }

    /// <summary>Every section hvutilsd binds, registered as hvutilsd registers them.</summary>
    public static void AddAllOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCoreOptions(configuration);
        services.AddKvpOptions(configuration);
        services.AddVssOptions(configuration);
        services.AddFcopyOptions(configuration);
    }

    public static readonly string[] Sections = ["Kvp", "Vss", "Fcopy", "Telemetry", "Runtime", "Logging"];

    public static int Run(string? configPath, bool json, TextWriter output, TextWriter error)
    {
        (IConfigurationRoot? configuration, IReadOnlyList<ConfigurationError> errors) = Load(configPath);
        if (errors.Count > 0)
        {
            foreach (ConfigurationError e in errors)
            {
                error.WriteLine($"hvutils: {e}");
            }
            return ConfigurationException.ExitCode;
        }
        output.Write(json ? ToJson(configuration!) : ToText(configuration!));
        return 0;
    }

    /// <summary>Effective settings as "Section:Key = value" lines.</summary>
    public static string ToText(IConfiguration configuration)
    {
        var sb = new StringBuilder();
        sb.AppendLine("configuration is valid; effective settings:");
        foreach (string section in Sections)
        {
            foreach (KeyValuePair<string, string?> kv in configuration.GetSection(section).AsEnumerable(makePathsRelative: false)
                .Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sb.Append("  ").Append(kv.Key).Append(" = ").AppendLine(kv.Value);
            }
        }
        return sb.ToString();
    }

    /// <summary>Effective settings as one JSON object shaped like appsettings.json (values as strings, arrays for indexed keys).</summary>
    public static string ToJson(IConfiguration configuration)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (string section in Sections)
            {
                IConfigurationSection s = configuration.GetSection(section);
                writer.WritePropertyName(section);
                WriteSection(writer, s);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static void WriteSection(Utf8JsonWriter writer, IConfigurationSection section)
    {
        List<IConfigurationSection> children = [.. section.GetChildren()];
        if (children.Count == 0)
        {
            if (section.Value is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(section.Value);
            }
            return;
        }
        bool isArray = children.All(c => int.TryParse(c.Key, out _));
        if (isArray)
        {
            writer.WriteStartArray();
            foreach (IConfigurationSection c in children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)))
            {
                WriteSection(writer, c);
            }
            writer.WriteEndArray();
            return;
        }
        writer.WriteStartObject();
        foreach (IConfigurationSection c in children)
        {
            writer.WritePropertyName(c.Key);
            WriteSection(writer, c);
        }
        writer.WriteEndObject();
    }
}
