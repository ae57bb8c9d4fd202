using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Kvp;

public static class KvpServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Kvp</c> section (also used by <c>hvutils config check</c>).</summary>
    public static IServiceCollection AddKvpOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<KvpOptions, KvpOptionsValidator>(KvpOptions.Section)
            .Bind(configuration.GetSection(KvpOptions.Section));
        return services;
    }

    /// <summary>The KVP service: options plus its channel runner when <c>Kvp:Enabled</c>.</summary>
    public static IServiceCollection AddKvpChannel(this IServiceCollection services, IConfiguration configuration) =>
        services.AddKvpOptions(configuration).AddChannel<KvpChannel>(configuration, KvpOptions.Section);
}
