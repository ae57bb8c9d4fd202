using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// One .deb built by deploy/debian/build-deb.sh for the whole test class: from the published
/// NativeAOT binaries when the run has them, otherwise from stub executables (the packaging
/// does not depend on what the binaries are).
/// </summary>
public sealed class DebianPackageFixture : IDisposable
{
    private readonly TempDirectory _dir = new("hvutils-deb-");

    public DebianPackageFixture()
    {
        if (Tools.Find("dpkg-deb") is null)
        {
            return;
        }
        string binaries = PublishedBinaries.Directory ?? CreateStubBinaries();
        string output = ProcessRunner.Run("sh", Repository.Combine("deploy", "debian", "build-deb.sh"), "--bin-dir", binaries, "--out", _dir.Combine("out"), "--arch", "amd64");
        Deb = output.TrimEnd().Split('\n')[^1];
        UsesPublishedBinaries = PublishedBinaries.Directory is not null;
    }

    public string Deb { get; } = "";

    public bool UsesPublishedBinaries { get; }

    public void Dispose() => _dir.Dispose();

    private string CreateStubBinaries()
    {
        string dir = _dir.Combine("stub");
        Directory.CreateDirectory(dir);
        foreach (string name in new[] { "hvutilsd", "hvutils" })
        {
            File.WriteAllText(Path.Combine(dir, name), "#!/bin/sh\nexit 0\n");
        }
        File.Copy(Repository.Combine("config", "appsettings.json"), Path.Combine(dir, "appsettings.json"));
        return dir;
    }
}
