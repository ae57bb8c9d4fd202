using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using HvUtils.Core.Telemetry;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Network;
using HvUtils.Kvp.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The KVP service: options, pool files, AUTO pool, the network service behind
    /// GET/SET_IP_INFO and the AUTO addresses, metrics, and its channel runner when
    /// <c>Kvp:Enabled</c>. The name, address and IP-info sources are TryAdd defaults that
    /// a test may replace.
    /// </summary>
    public static IServiceCollection AddKvpChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKvpOptions(configuration);
        services.AddKvpNetwork(configuration);
        services.TryAddSingleton<IIpInfoProvider, NetworkIpInfoProvider>();
        services.TryAddSingleton<IHostNameSource>(sp => new KernelHostNameSource(sp.GetRequiredService<IOptions<KvpOptions>>().Value.HostNamePath));
        services.TryAddSingleton<INetworkAddressSource>(sp => new InterfaceAddressSource(sp.GetRequiredService<NetworkInfoService>()));
        services.TryAddSingleton(sp => new KvpMetrics(sp.GetService<HvUtilsMetrics>()));
        services.TryAddSingleton(sp => new AutoPool(
            OsInfo.Collect(sp.GetRequiredService<IOptions<KvpOptions>>().Value.OsReleasePath),
            sp.GetRequiredService<IHostNameSource>(),
            sp.GetRequiredService<INetworkAddressSource>()));
        services.TryAddSingleton(sp =>
        {
            KvpOptions o = sp.GetRequiredService<IOptions<KvpOptions>>().Value;
            KvpMetrics metrics = sp.GetRequiredService<KvpMetrics>();
            var pools = new KvpPoolSet(o.PoolDirectory, new PoolFileSettings(o.LockTimeout, o.MaxRecordsPerPool, CacheAcrossOperations: true,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("HvUtils.Kvp.Pools"), metrics.RecordLockWait));
            metrics.Observe(pools);
            return pools;
        });
        return services.AddChannel<KvpChannel>(configuration, KvpOptions.Section);
    }
}
