namespace HvUtils.Core.Configuration;

/// <summary>
/// A service that can hold back configuration reloads (design.md rule 4: no reload is
/// applied while a filesystem is frozen). VSS registers one
/// (<c>services.AddSingleton&lt;IReloadGate, X&gt;()</c>) answering false while frozen; a
/// deferred reload is retried every few seconds until every gate opens.
/// </summary>
public interface IReloadGate
{
    /// <summary>True when a reload may be applied now; otherwise <paramref name="reason"/> says why not.</summary>
    bool CanApply(out string reason);
}
