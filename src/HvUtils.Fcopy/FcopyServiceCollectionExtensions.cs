using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvUtils.Fcopy;

public static class FcopyServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Fcopy</c> section (also used by <c>hvutils config check</c>).</summary>
    public static IServiceCollection AddFcopyOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<FcopyOptions, FcopyOptionsValidator>(FcopyOptions.Section)
            .Bind(configuration.GetSection(FcopyOptions.Section));
        return services;
    }

    /// <summary>The FCOPY service: options plus its channel runner when <c>Fcopy:Enabled</c>.</summary>
    public static IServiceCollection AddFcopyChannel(this IServiceCollection services, IConfiguration configuration) =>
        services.AddFcopyOptions(configuration).AddChannel<FcopyChannel>(configuration, FcopyOptions.Section);
}
