using HvUtils.Core.Interop;

namespace HvUtils.Core.Runtime;

/// <summary>
/// An inotify watch on the nearest existing ancestor of a directory: any entry created,
/// moved in or changed there makes the descriptor readable. This is how a channel waits
/// for its device node (or <c>/dev/vmbus</c> itself) to appear without a timer.
/// </summary>
internal sealed class DirectoryWatch : IDisposable
{
    private const uint Mask = Native.IN_CREATE | Native.IN_MOVED_TO | Native.IN_ATTRIB
        | Native.IN_DELETE_SELF | Native.IN_MOVE_SELF | Native.IN_ONLYDIR;

    private DirectoryWatch(int fd, string watched)
    {
        Fd = fd;
        WatchedPath = watched;
    }

    public int Fd { get; }

    public string WatchedPath { get; }

    /// <summary>Watches <paramref name="directory"/>, or its nearest existing ancestor.</summary>
    public static DirectoryWatch Create(string directory)
    {
        int fd = Native.InotifyInit(Native.IN_CLOEXEC | Native.IN_NONBLOCK);
        if (fd < 0)
        {
            throw new IOException($"inotify_init1 failed: {Errno.Describe(-fd)}");
        }
        string? dir = Path.GetFullPath(directory);
        while (dir is not null)
        {
            int wd = Native.InotifyAddWatch(fd, dir, Mask);
            if (wd >= 0)
            {
                return new DirectoryWatch(fd, dir);
            }
            if (wd != -Errno.ENOENT && wd != -Errno.ENOTDIR)
            {
                Native.Close(fd);
                throw new IOException($"inotify_add_watch({dir}) failed: {Errno.Describe(-wd)}");
            }
            dir = Path.GetDirectoryName(dir);
        }
        Native.Close(fd);
        throw new IOException($"no existing ancestor of {directory} to watch");
    }

    /// <summary>Discards queued events.</summary>
    public void Drain()
    {
        Span<byte> buf = stackalloc byte[4096];
        while (Native.Read(Fd, buf) > 0)
        {
        }
    }

    public void Dispose() => Native.Close(Fd);
}
