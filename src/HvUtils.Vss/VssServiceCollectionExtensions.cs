using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
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

    /// <summary>The VSS service: options plus its channel runner when <c>Vss:Enabled</c>.</summary>
    public static IServiceCollection AddVssChannel(this IServiceCollection services, IConfiguration configuration) =>
        services.AddVssOptions(configuration).AddChannel<VssChannel>(configuration, VssOptions.Section);
}
