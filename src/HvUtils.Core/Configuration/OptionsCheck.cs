using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>
/// Binds and validates one options type from the configuration currently in place, with
/// the same validators as start-up (registered by <see cref="OptionsRegistration.AddSectionOptions"/>);
/// the reloader runs every check against a staged candidate before committing it.
/// </summary>
public interface IOptionsCheck
{
    Type OptionsType { get; }

    /// <summary>Throws <see cref="OptionsValidationException"/> (or the binder's exception) when invalid.</summary>
    void Check(IServiceProvider services);
}

internal sealed class OptionsCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions> : IOptionsCheck
    where TOptions : class
{
    public Type OptionsType => typeof(TOptions);

    public void Check(IServiceProvider services) =>
        ((IOptionsFactory<TOptions>)services.GetService(typeof(IOptionsFactory<TOptions>))!).Create(Options.DefaultName);
}
