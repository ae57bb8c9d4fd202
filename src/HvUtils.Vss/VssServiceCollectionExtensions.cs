using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using HvUtils.Core.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Vss;

public static class VssServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Vss</c> section (also used by <c>hvutils config check</c>).</summary>
    public static IServiceCollection AddVssOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<VssOptions, VssOptionsValidator>(VssOptions.Section)
            .Bind(configuration.GetSection(VssOptions.Section));
        return services;
    }

    /// <summary>
    /// The VSS service: options plus, when <c>Vss:Enabled</c>, its channel runner and the
    /// status section and reload gate that report and respect a freeze.
    /// </summary>
    public static IServiceCollection AddVssChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddVssOptions(configuration).AddChannel<VssChannel>(configuration, VssOptions.Section);
        if (configuration.GetValue($"{VssOptions.Section}:Enabled", true))
        {
            services.AddSingleton<VssStatus>();
            services.AddSingleton<IStatusContributor>(sp => sp.GetRequiredService<VssStatus>());
            services.AddSingleton<IReloadGate>(sp => sp.GetRequiredService<VssStatus>());
        }
        return services;
    }
}
