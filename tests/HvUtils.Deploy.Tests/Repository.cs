namespace HvUtils.Deploy.Tests;

/// <summary>Paths of the shipped artifacts' sources, found from the test binary's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string UnitFile => Combine("deploy", "systemd", "hvutilsd.service");

    public static string UdevRules => Combine("deploy", "udev", "60-hvutils.rules");

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HvUtils.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"HvUtils.sln not found above {AppContext.BaseDirectory}");
    }
}
