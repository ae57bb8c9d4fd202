using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>Which configuration section each options type binds, so errors can name the key.</summary>
public sealed class OptionsSections
{
    private readonly Dictionary<Type, string> _sections = [];

    public string? SectionOf(Type optionsType) => _sections.GetValueOrDefault(optionsType);

    public IReadOnlyCollection<string> Names => _sections.Values;

    internal void Add(Type type, string section) => _sections[type] = section;
}

public static class OptionsRegistration
{
    /// <summary>
    /// Validates <typeparamref name="TOptions"/> at start with the source-generated
    /// <typeparamref name="TValidator"/> and records its section for error messages. The
    /// caller binds the returned builder with a concrete <c>Bind(configuration.GetSection(…))</c>
    /// (the AOT binding generator cannot bind through a generic call). Used identically by
    /// hvutilsd and <c>hvutils config check</c>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddSectionOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        Sections(services).Add(typeof(TOptions), section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.AddSingleton<IOptionsCheck>(new OptionsCheck<TOptions>());
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    public static OptionsSections Sections(IServiceCollection services)
    {
        foreach (ServiceDescriptor d in services)
        {
            if (d.ServiceType == typeof(OptionsSections) && d.ImplementationInstance is OptionsSections existing)
            {
                return existing;
            }
        }
        var created = new OptionsSections();
        services.AddSingleton(created);
        return created;
    }
}
