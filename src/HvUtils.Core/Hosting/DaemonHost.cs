using System.Diagnostics.CodeAnalysis;
using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Core.Runtime;
using HvUtils.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Hosting;

/// <summary>Builds and runs hvutilsd: configuration, logging, systemd notifications, channel runners.</summary>
public static class DaemonHost
{
    public static string Version => typeof(DaemonHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Runs the daemon; returns the process exit code (0, or 78 for invalid configuration).</summary>
    public static int Run(string[] args, Action<IServiceCollection, IConfiguration> addServices)
    {
        DaemonArguments parsed = DaemonArguments.Parse(args);
        if (parsed.Help)
        {
            Console.WriteLine(DaemonArguments.Usage);
            return 0;
        }
        if (parsed.Version)
        {
            Console.WriteLine($"hvutilsd {Version}");
            return 0;
        }
        IConfigurationRoot? configuration = null;
        OptionsSections? sections = null;
        try
        {
            configuration = LiveConfiguration.Build(parsed.ConfigPath, parsed.Configuration);
            HostApplicationBuilder builder = CreateBuilder(configuration, parsed.Debug, addServices);
            sections = OptionsRegistration.Sections(builder.Services);
            using IHost host = builder.Build();
            // Validate before starting, so a bad value is one line on stderr, not a host failure trace.
            host.Services.GetService<IStartupValidator>()?.Validate();
            host.Run();
            return 0;
        }
        catch (Exception ex) when (configuration is null || ConfigurationErrors.From(ex, configuration, sections ?? new()).Count > 0)
        {
            IReadOnlyList<ConfigurationError> errors = configuration is null
                ? (ex is ConfigurationException c ? [c.Error] : [new ConfigurationError("configuration", "", ex.Message)])
                : ConfigurationErrors.From(ex, configuration, sections ?? new());
            foreach (ConfigurationError error in errors)
            {
                Console.Error.WriteLine($"hvutilsd: {error}");
            }
            return ConfigurationException.ExitCode;
        }
    }

    /// <summary>The host with every shared service registered; <paramref name="addServices"/> adds the channels.</summary>
    public static HostApplicationBuilder CreateBuilder(IConfiguration configuration, bool debug, Action<IServiceCollection, IConfiguration> addServices)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = HvUtilsConfiguration.ContentRoot,
            DisableDefaults = true,
        });
        builder.Configuration.AddConfiguration(configuration);
        ConfigureLogging(builder, debug);
        IServiceCollection services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChannelRegistry>();
        services.AddSingleton<HvUtilsMetrics>();
        services.AddSingleton(_ => SystemdNotifier.FromEnvironment());
        services.AddCoreOptions(configuration);
        addServices(services, configuration);
        // After the runners, so they are all registered when readiness starts waiting for them.
        services.AddHostedService<ReadinessService>();
        services.AddHostedService<WatchdogService>();
        services.AddHostedService<StartupMemoryTrim>();
        return builder;
    }

    private static void ConfigureLogging(HostApplicationBuilder builder, bool debug)
    {
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (SystemdHelpers.IsSystemdService() || Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null)
        {
            // journald: "<N>" priority prefixes, no colours or timestamps (journald adds its own).
            builder.Logging.AddSystemdConsole(o => o.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        if (debug)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddFilter(null, LogLevel.Debug);
        }
    }
}

public static class ChannelRegistration
{
    /// <summary>
    /// Runs <typeparamref name="TChannel"/> on its own <see cref="ChannelRunner"/> when
    /// <c>{section}:Enabled</c> is true (the default).
    /// </summary>
    public static IServiceCollection AddChannel<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TChannel>(this IServiceCollection services, IConfiguration configuration, string section)
        where TChannel : class, IHvChannel
    {
        if (!configuration.GetValue($"{section}:Enabled", true))
        {
            return services;
        }
        services.AddSingleton<TChannel>();
        services.AddSingleton<IHostedService>(sp => new ChannelRunner(
            sp.GetRequiredService<TChannel>(),
            sp.GetRequiredService<ChannelRegistry>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<HvUtilsMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
