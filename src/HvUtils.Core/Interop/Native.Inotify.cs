namespace HvUtils.Core.Interop;

// sys/inotify.h — not in Tmds.LibC 0.5 (stack.md), declared here.
public static unsafe partial class Native
{
    public const uint IN_ATTRIB = 0x004;
    public const uint IN_MOVED_TO = 0x080;
    public const uint IN_CREATE = 0x100;
    public const uint IN_DELETE_SELF = 0x400;
    public const uint IN_MOVE_SELF = 0x800;
    public const uint IN_ONLYDIR = 0x01000000;
    public const int IN_CLOEXEC = 0x80000;
    public const int IN_NONBLOCK = 0x800;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int inotify_init1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    private static partial int inotify_add_watch(int fd, byte* path, uint mask);

    public static int InotifyInit(int flags)
    {
        int fd = inotify_init1(flags);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    public static int InotifyAddWatch(int fd, string path, uint mask)
    {
        fixed (byte* p = Utf8Z(path))
        {
            int wd = inotify_add_watch(fd, p, mask);
            return wd >= 0 ? wd : -Marshal.GetLastPInvokeError();
        }
    }
}
