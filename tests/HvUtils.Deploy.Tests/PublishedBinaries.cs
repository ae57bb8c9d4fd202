namespace HvUtils.Deploy.Tests;

/// <summary>
/// The NativeAOT output of deploy/publish.sh when the run was given one:
/// <c>HVUTILS_PUBLISH_DIR</c>, or the directory of <c>HVUTILSD_PATH</c> (deploy/aot-smoke.sh sets both).
/// Tests of the shipped binaries skip without it; packaging tests then use stub executables.
/// </summary>
public static class PublishedBinaries
{
    public static string? Directory { get; } = Find();

    public static string Daemon => Path.Combine(Directory ?? throw new InvalidOperationException("no published binaries"), "hvutilsd");

    public static string Cli => Path.Combine(Directory ?? throw new InvalidOperationException("no published binaries"), "hvutils");

    public static string? SkipReason => Directory is null
        ? "needs NativeAOT binaries: run deploy/aot-smoke.sh (or set HVUTILS_PUBLISH_DIR to deploy/publish.sh output)"
        : null;

    private static string? Find()
    {
        string? dir = Environment.GetEnvironmentVariable("HVUTILS_PUBLISH_DIR") is { Length: > 0 } d ? d
            : Environment.GetEnvironmentVariable("HVUTILSD_PATH") is { Length: > 0 } p ? Path.GetDirectoryName(Path.GetFullPath(p))
            : null;
        if (dir is null)
        {
            return null;
        }
        // A NativeAOT publish has no managed hvutilsd.dll beside the executable.
        if (!File.Exists(Path.Combine(dir, "hvutilsd")) || File.Exists(Path.Combine(dir, "hvutilsd.dll")))
        {
            throw new InvalidOperationException($"{dir} is not a NativeAOT publish directory (deploy/publish.sh --out)");
        }
        return dir;
    }
}

/// <summary>
/// A fact about the published NativeAOT binaries; skipped when the run has none. Its
/// <paramref name="tools"/> are optional (skipped when missing, also under CI).
/// </summary>
public sealed class AotFactAttribute : FactAttribute
{
    public AotFactAttribute(params string[] tools)
    {
        Skip = PublishedBinaries.SkipReason ?? Tools.SkipReason(tools, mandatoryInCi: false);
    }
}
