using System.Text.Json;
using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>The .deb of deploy/debian/build-deb.sh (issue 8 §4): metadata, contents, an install into a scratch root.</summary>
public sealed class DebianPackageTests(DebianPackageFixture package) : IClassFixture<DebianPackageFixture>
{
    private const string EnableLink = "/etc/systemd/system/multi-user.target.wants/hvutilsd.service";

    [ToolFact("dpkg-deb")]
    public void Control_replaces_hyperv_daemons()
    {
        string info = ProcessRunner.Run("dpkg-deb", "-I", package.Deb);

        Assert.Contains(" Package: hvutils\n", info);
        Assert.Contains(" Architecture: amd64\n", info);
        Assert.Contains(" Provides: hyperv-daemons\n", info);
        Assert.Contains(" Conflicts: hyperv-daemons\n", info);
        Assert.Contains(" Replaces: hyperv-daemons\n", info);
        // NativeAOT binaries need glibc 2.34 (stack.md).
        Assert.Contains(" Depends: libc6 (>= 2.34)\n", info);
        Assert.Equal("/etc/hvutils/appsettings.json\n", ProcessRunner.Run("dpkg-deb", "-I", package.Deb, "conffiles"));
    }

    [ToolFact("dpkg-deb")]
    public void Contents_put_binaries_with_their_defaults_and_link_them()
    {
        Dictionary<string, string> entries = Contents();

        Assert.StartsWith("-rwxr-xr-x root/root", entries["/usr/lib/hvutils/hvutilsd"]);
        Assert.StartsWith("-rwxr-xr-x root/root", entries["/usr/lib/hvutils/hvutils"]);
        Assert.StartsWith("-rw-r--r-- root/root", entries["/usr/lib/hvutils/appsettings.json"]);
        Assert.EndsWith("-> ../lib/hvutils/hvutilsd", entries["/usr/sbin/hvutilsd"]);
        Assert.EndsWith("-> ../lib/hvutils/hvutils", entries["/usr/bin/hvutils"]);
        Assert.StartsWith("-rw-r--r-- root/root", entries["/usr/lib/systemd/system/hvutilsd.service"]);
        Assert.StartsWith("-rw-r--r-- root/root", entries["/usr/lib/udev/rules.d/60-hvutils.rules"]);
        Assert.StartsWith("-rw-r--r-- root/root", entries["/etc/hvutils/appsettings.json"]);
        Assert.StartsWith("drwxr-xr-x root/root", entries["/etc/hvutils/freeze.d"]);
        Assert.All(entries.Values, e => Assert.Contains(" root/root ", e));
    }

    [ToolFact("dpkg-deb")]
    public void Ships_the_repository_unit_and_rules_unchanged()
    {
        using var dir = new TempDirectory();
        ProcessRunner.Run("dpkg-deb", "-x", package.Deb, dir.Path);

        Assert.Equal(File.ReadAllBytes(Repository.UnitFile), File.ReadAllBytes(dir.Combine("usr/lib/systemd/system/hvutilsd.service")));
        Assert.Equal(File.ReadAllBytes(Repository.UdevRules), File.ReadAllBytes(dir.Combine("usr/lib/udev/rules.d/60-hvutils.rules")));
        Assert.Equal(File.ReadAllBytes(Repository.Combine("config", "appsettings.json")), File.ReadAllBytes(dir.Combine("usr/lib/hvutils/appsettings.json")));
        using JsonDocument admin = JsonDocument.Parse(File.ReadAllText(dir.Combine("etc/hvutils/appsettings.json")));
        Assert.Equal(JsonValueKind.Object, admin.RootElement.ValueKind);
        Assert.Empty(admin.RootElement.EnumerateObject());
    }

    /// <summary>
    /// dpkg --root with chrootless maintainer scripts (DPKG_ROOT): the unit's ExecStart and
    /// ExecStopPost resolve inside the root, verify is silent there, the unit is enabled, and a
    /// purge takes it all away — without touching this machine's /etc.
    /// </summary>
    [RootToolFact("dpkg", "dpkg-deb", "systemd-analyze", "deb-systemd-helper")]
    public void Installs_into_a_scratch_root_where_the_unit_expects_it()
    {
        bool hostEnabledBefore = Path.Exists(EnableLink);
        using var root = new ScratchRoot();
        InitDpkgDatabase(root);

        Dpkg(root, "--install", package.Deb);

        Assert.True(File.Exists(root.Combine("/usr/sbin/hvutilsd")), "ExecStart target missing");
        Assert.True(File.Exists(root.Combine("/usr/bin/hvutils")), "ExecStopPost target missing");
        Assert.Equal(root.Combine("/usr/lib/hvutils/hvutilsd"), Path.GetFullPath(Resolve(root.Combine("/usr/sbin/hvutilsd"))));
        Assert.True(File.Exists(root.Combine("/usr/lib/hvutils/appsettings.json")));
        Assert.Equal("/usr/lib/systemd/system/hvutilsd.service", new FileInfo(root.Combine(EnableLink)).LinkTarget);
        Assert.Equal("", root.VerifyUnit("hvutilsd.service"));

        Dpkg(root, "--purge", "hvutils");

        Assert.False(Path.Exists(root.Combine("/usr/lib/hvutils/hvutilsd")));
        Assert.False(Path.Exists(root.Combine("/usr/sbin/hvutilsd")));
        Assert.False(Path.Exists(root.Combine(EnableLink)));
        Assert.False(Path.Exists(root.Combine("/etc/hvutils/appsettings.json")));
        Assert.Equal(hostEnabledBefore, Path.Exists(EnableLink));
    }

    /// <summary>The content root is the resolved executable's directory: defaults are found through the /usr/bin symlink.</summary>
    [AotFact("dpkg-deb")]
    public void Installed_cli_reads_the_defaults_beside_the_resolved_binary()
    {
        Assert.True(package.UsesPublishedBinaries);
        using var dir = new TempDirectory();
        ProcessRunner.Run("dpkg-deb", "-x", package.Deb, dir.Path);
        string defaults = dir.Combine("usr/lib/hvutils/appsettings.json");
        File.WriteAllText(defaults, File.ReadAllText(defaults).Replace("\"/var/lib/hyperv\"", "\"/from/usr/lib/hvutils\"", StringComparison.Ordinal));

        string output = ProcessRunner.Run(dir.Combine("usr/bin/hvutils"), "config", "check", "--config", dir.Combine("etc/hvutils/appsettings.json"));

        Assert.Contains("Kvp:PoolDirectory = /from/usr/lib/hvutils", output);
    }

    [OptionalToolFact("dpkg-deb", "lintian")]
    public void Lintian_finds_no_errors_or_warnings()
    {
        (_, string output) = ProcessRunner.Run("lintian", ["--tag-display-limit", "0", package.Deb], check: false);

        string[] findings = [.. output.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal))];
        Assert.Empty(findings);
    }

    private Dictionary<string, string> Contents()
    {
        var entries = new Dictionary<string, string>();
        foreach (string line in ProcessRunner.Run("dpkg-deb", "-c", package.Deb).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int dot = line.IndexOf(" ./", StringComparison.Ordinal);
            string path = line[(dot + 2)..].Split(" -> ")[0].TrimEnd('/');
            entries[path.Length == 0 ? "/" : path] = line;
        }
        return entries;
    }

    private static string Resolve(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static void InitDpkgDatabase(ScratchRoot root)
    {
        string admin = root.Combine("/var/lib/dpkg");
        Directory.CreateDirectory(Path.Combine(admin, "info"));
        Directory.CreateDirectory(Path.Combine(admin, "updates"));
        File.WriteAllText(Path.Combine(admin, "status"), "");
        File.WriteAllText(Path.Combine(admin, "available"), "");
    }

    private static void Dpkg(ScratchRoot root, params string[] args) =>
        ProcessRunner.Run("dpkg", [$"--root={root.Path}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", .. args], check: true);
}
