using HvUtils.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Kvp.Network;

public static class NetworkServiceCollectionExtensions
{
    /// <summary>
    /// GET_IP_INFO / AUTO addresses (<see cref="NetworkInfoService"/>) and SET_IP_INFO
    /// (<see cref="IpConfigurationService"/>) as singletons, over the validated <c>Kvp</c> options.
    /// </summary>
    public static IServiceCollection AddKvpNetwork(this IServiceCollection services, IConfiguration configuration)
    {
        // Bind the Kvp section once: AddKvpChannel may have done it already (a second Bind would append
        // the DhclientLeaseDirectories array to itself).
        if (OptionsRegistration.Sections(services).SectionOf(typeof(KvpOptions)) is null)
        {
            services.AddKvpOptions(configuration);
        }
        services.AddSingleton<NetworkInfoService>();
        services.AddSingleton<IpConfigurationService>();
        return services;
    }
}
