using HvUtils.Testing;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// An empty directory tree standing in for an installed system, for
/// <c>systemd-analyze --root</c> and <c>dpkg --root</c>.
/// </summary>
public sealed class ScratchRoot : IDisposable
{
    private readonly TempDirectory _dir = new("hvutils-root-");

    public string Path => _dir.Path;

    public string Combine(string absolute) => System.IO.Path.Combine(Path, absolute.TrimStart('/'));

    /// <summary>Writes an executable shell stub at <paramref name="absolute"/> (enough for systemd-analyze verify).</summary>
    public void AddStubExecutable(string absolute)
    {
        string file = Combine(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public void AddFile(string absolute, string source)
    {
        string file = Combine(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.Copy(source, file, overwrite: true);
    }

    /// <summary>Runs <c>systemd-analyze verify</c> for <paramref name="unit"/> inside this root; returns everything it printed.</summary>
    public string VerifyUnit(string unit)
    {
        (_, string output) = ProcessRunner.Run("systemd-analyze", ["verify", "--man=no", $"--root={Path}", unit], check: false);
        return output;
    }

    public void Dispose() => _dir.Dispose();
}
