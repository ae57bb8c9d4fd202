using System.Text;
using HvUtils.Core.Interop;
using HvUtils.Vss.Planning;

namespace HvUtils.Vss.Freezing;

/// <summary>
/// <c>{Runtime:Directory}/frozen</c>: every mount path is appended before its FIFREEZE and the
/// file is truncated after a complete thaw, so whoever comes next (a restarted daemon,
/// <c>hvutils vss thaw</c> in <c>ExecStopPost=</c>) can thaw what a dead daemon left frozen.
/// Paths are escaped like mountinfo (\012 for a newline, \134 for a backslash), one per line.
/// The runtime directory is meant to be tmpfs (/run): writing it never waits for a frozen disk.
/// </summary>
public sealed class FreezeMarker(string runtimeDirectory)
{
    public const string FileName = "frozen";

    public string Path { get; } = System.IO.Path.Combine(runtimeDirectory, FileName);

    public string Directory => runtimeDirectory;

    /// <summary>Appends one path; returns 0 or -errno.</summary>
    public int Append(string mountPoint)
    {
        int rc = EnsureDirectory();
        if (rc < 0)
        {
            return rc;
        }
        int fd = Native.Open(Path, Native.O_WRONLY | Native.O_APPEND | Native.O_CREAT | Native.O_CLOEXEC | Native.O_NOFOLLOW, 0x180);
        if (fd < 0)
        {
            return fd;
        }
        byte[] line = Encoding.UTF8.GetBytes(Escape(mountPoint) + "\n");
        long n = Native.Write(fd, line);
        Native.Close(fd);
        return n < 0 ? (int)n : n == line.Length ? 0 : -Errno.EIO;
    }

    /// <summary>Replaces the list (used when a mount is dropped from it); an empty list truncates.</summary>
    public int Rewrite(IEnumerable<string> mountPoints)
    {
        int fd = Native.Open(Path, Native.O_WRONLY | Native.O_TRUNC | Native.O_CREAT | Native.O_CLOEXEC | Native.O_NOFOLLOW, 0x180);
        if (fd < 0)
        {
            return fd == -Errno.ENOENT ? 0 : fd;
        }
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(mountPoints.Select(m => Escape(m) + "\n")));
        long n = text.Length == 0 ? 0 : Native.Write(fd, text);
        Native.Close(fd);
        return n < 0 ? (int)n : 0;
    }

    /// <summary>Truncates the list after a complete thaw.</summary>
    public int Clear() => File.Exists(Path) ? Rewrite([]) : 0;

    /// <summary>The listed paths, in the order they were frozen; empty when there is no marker.</summary>
    public IReadOnlyList<string> Read()
    {
        try
        {
            return [.. File.ReadAllText(Path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(MountInfoParser.Unescape).Distinct()];
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    private int EnsureDirectory()
    {
        if (System.IO.Directory.Exists(runtimeDirectory))
        {
            return 0;
        }
        try
        {
            System.IO.Directory.CreateDirectory(runtimeDirectory);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -Errno.EACCES;
        }
    }

    private static string Escape(string path) => path.Replace("\\", "\\134", StringComparison.Ordinal).Replace("\n", "\\012", StringComparison.Ordinal);
}
