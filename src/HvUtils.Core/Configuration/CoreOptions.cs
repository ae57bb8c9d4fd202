using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Core.Configuration;

public static class CoreOptions
{
    /// <summary>The sections every HvUtils program binds: <c>Runtime</c> and <c>Telemetry</c>.</summary>
    public static IServiceCollection AddCoreOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<RuntimeOptions, RuntimeOptionsValidator>(RuntimeOptions.Section)
            .Bind(configuration.GetSection(RuntimeOptions.Section));
        services.AddSectionOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section)
            .Bind(configuration.GetSection(TelemetryOptions.Section));
        return services;
    }
}
