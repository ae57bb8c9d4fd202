namespace HvUtils.Vss.Tests;

/// <summary>Writes small /bin/sh hook scripts (executed directly by execve through their #! line).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class HookScripts
{
    public static string Write(string directory, string name, string body, UnixFileMode? mode = null)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute));
        return path;
    }
}
