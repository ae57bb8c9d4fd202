using HvUtils.Core.Configuration;
using HvUtils.Core.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HvUtils.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Operations for hvutilsd (docs/monitoring.md): the Prometheus scrape endpoint, the OTLP
    /// exporter, the <c>hvutils status</c> control socket and live reload of the admin file.
    /// The <c>Telemetry</c> and <c>Runtime</c> options are bound by the host already.
    /// </summary>
    public static IServiceCollection AddHvUtilsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IHostedService, PrometheusEndpoint>();
        services.AddSingleton<IHostedService, OtlpExport>();
        services.AddSingleton<IHostedService, StatusServer>();
        if (LiveConfiguration.ProviderOf(configuration) is { } live)
        {
            services.AddSingleton(live);
            services.AddSingleton<ConfigurationReloader>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ConfigurationReloader>());
        }
        return services;
    }
}
