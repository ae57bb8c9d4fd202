using HvUtils.Core.Interop;
using Xunit;

namespace HvUtils.Testing;

/// <summary>
/// Whether this run may use what only root has (loop devices, mounts, network namespaces).
/// Without root the test is skipped with a reason — except under CI=true, where it runs
/// and fails, so a CI without root cannot pass silently.
/// </summary>
public static class RootRequirement
{
    public static bool IsRoot => Native.GetEuid() == 0;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason(string needs) =>
        IsRoot || IsCi ? null : $"needs root ({needs}); run the tests as root, as CI does";

    /// <summary>Call first in a root test: fails clearly under CI without root.</summary>
    public static void Assert()
    {
        if (!IsRoot)
        {
            throw new InvalidOperationException("this test needs root (CI=true makes root tests mandatory)");
        }
    }
}

/// <summary>A fact that needs root; see <see cref="RootRequirement"/>.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string needs = "loop devices, mounts or namespaces")
    {
        Skip = RootRequirement.SkipReason(needs);
    }
}

/// <summary>A theory that needs root; see <see cref="RootRequirement"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute(string needs = "loop devices, mounts or namespaces")
    {
        Skip = RootRequirement.SkipReason(needs);
    }
}
