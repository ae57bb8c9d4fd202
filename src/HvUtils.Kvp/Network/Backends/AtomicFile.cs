using System.Text;
using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// Writes a configuration file so that readers see the old or the new content, never a part: a temporary
/// file in the same directory with the final mode, fsync, rename over the target, fsync of the directory
/// (the C daemon truncates in place, quirks.md).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, string content, UnixFileMode mode)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("network configuration is written on Linux only");
        }
        string directory = Path.GetDirectoryName(path) ?? ".";
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            // The create mode is filtered by the umask; set the exact mode the tool expects.
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        Native.SyncDirectory(directory);
    }
}
