namespace HvUtils.Kvp.Tests.Network;

/// <summary>Executable shell scripts for tests: helper-script stand-ins and apply-command recorders.</summary>
public static class TestScripts
{
    public static string WriteExecutable(string path, string content)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>
    /// A command stand-in that appends "NAME ARGS…" to <paramref name="log"/> and exits
    /// <paramref name="exitCode"/> (tests never run nmcli, networkctl, netplan or the distro scripts).
    /// </summary>
    public static string Recorder(string path, string log, int exitCode = 0) =>
        WriteExecutable(path, $"#!/bin/sh\necho \"$(basename \"$0\") $*\" >> '{log}'\nexit {exitCode}\n");

    public static UnixFileMode Mode(string path) =>
        OperatingSystem.IsLinux() ? File.GetUnixFileMode(path) : throw new PlatformNotSupportedException();
}
