using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using HvUtils.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Layers_apply_in_order_defaults_admin_file_environment_command_line()
    {
        using var dir = new TempDirectory();
        string admin = dir.Combine("admin.json");
        string key = $"Layer{Guid.NewGuid():N}";
        File.WriteAllText(dir.Combine("appsettings.json"), $$"""{ "{{key}}": { "A": "defaults", "B": "defaults", "C": "defaults", "D": "defaults" } }""");
        File.WriteAllText(admin, $$"""{ "{{key}}": { "B": "admin", "C": "admin", "D": "admin" } }""");
        Environment.SetEnvironmentVariable($"HVUTILS_{key}__C", "environment");
        Environment.SetEnvironmentVariable($"HVUTILS_{key}__D", "environment");
        try
        {
            IConfigurationRoot config = HvUtilsConfiguration.Build(admin, [$"--{key}:D=command-line"], dir.Path);
            Assert.Equal("defaults", config[$"{key}:A"]);
            Assert.Equal("admin", config[$"{key}:B"]);
            Assert.Equal("environment", config[$"{key}:C"]);
            Assert.Equal("command-line", config[$"{key}:D"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"HVUTILS_{key}__C", null);
            Environment.SetEnvironmentVariable($"HVUTILS_{key}__D", null);
        }
    }

    [Fact]
    public void An_explicit_config_file_that_does_not_exist_is_an_error_naming_it()
    {
        var ex = Assert.Throws<ConfigurationException>(() => HvUtilsConfiguration.Build("/nonexistent/hvutils.json", []));
        Assert.Equal("--config", ex.Error.Key);
        Assert.Contains("/nonexistent/hvutils.json", ex.Message);
    }

    [Fact]
    public void Unparsable_json_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        string admin = dir.Combine("bad.json");
        File.WriteAllText(admin, "{ not json");
        var ex = Assert.Throws<ConfigurationException>(() => HvUtilsConfiguration.Build(admin, [], dir.Path));
        Assert.Equal(admin, ex.Error.Key);
    }

    [Theory]
    [InlineData("Telemetry:Prometheus:Port", "70000", "between 1 and 65535")]
    [InlineData("Runtime:Directory", "run/hvutils", "must be an absolute path")]
    [InlineData("Runtime:TrimMemoryAfter", "02:00:00", "must be between 00:00:00 and 01:00:00")]
    [InlineData("Telemetry:Prometheus:Port", "many", "not a valid whole number")]
    public void A_bad_value_becomes_one_error_naming_key_value_and_reason(string key, string value, string reason)
    {
        IConfigurationRoot config = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        var services = new ServiceCollection();
        services.AddCoreOptions(config);
        OptionsSections sections = OptionsRegistration.Sections(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        Exception ex = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        ConfigurationError error = Assert.Single(ConfigurationErrors.From(ex, config, sections));
        Assert.Equal(key, error.Key);
        Assert.Equal(value, error.Value);
        Assert.Contains(reason, error.Reason);
        Assert.Equal($"invalid configuration: {key} = \"{value}\": {error.Reason}", error.ToString());
    }

    [Fact]
    public void Daemon_switches_are_separated_from_configuration_arguments()
    {
        DaemonArguments a = DaemonArguments.Parse(["--config", "/x.json", "--debug", "--Kvp:Enabled=false", "--Vss:DevicePath", "/s"]);
        Assert.Equal("/x.json", a.ConfigPath);
        Assert.True(a.Debug);
        Assert.Equal(["--Kvp:Enabled=false", "--Vss:DevicePath", "/s"], a.Configuration);
        Assert.Equal("/y.json", DaemonArguments.Parse(["--config=/y.json"]).ConfigPath);
    }
}
