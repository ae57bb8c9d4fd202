using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

/// <summary>
/// The thin native boundary (design.md rule 1). Every call returns the C result, or
/// <c>-errno</c> on failure, and retries EINTR (the runtime's thread-suspension signals
/// can interrupt blocking calls). No policy lives here.
/// </summary>
public static unsafe partial class Native
{
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_NONBLOCK = 0x800;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;
    public const int O_TMPFILE = 0x410000;

    public static int Open(string path, int flags, int mode = 0)
    {
        int len = System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        Span<byte> buf = len <= 1024 ? stackalloc byte[len] : new byte[len];
        int n = System.Text.Encoding.UTF8.GetBytes(path, buf);
        buf[n] = 0;
        fixed (byte* p = buf)
        {
            while (true)
            {
                int fd = open(p, flags, (mode_t)(uint)mode);
                if (fd >= 0)
                {
                    return fd;
                }
                int e = errno;
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static int Close(int fd) => close(fd) == 0 ? 0 : -errno;

    public static long Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = read(fd, p, buffer.Length);
                if (n >= 0)
                {
                    return n;
                }
                int e = errno;
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    public static long Write(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = write(fd, p, buffer.Length);
                if (n >= 0)
                {
                    return n;
                }
                int e = errno;
                if (e != Errno.EINTR)
                {
                    return -e;
                }
            }
        }
    }

    /// <summary>fstat: returns the st_mode bits, or -errno.</summary>
    public static long FileMode(int fd)
    {
        stat st;
        return fstat(fd, &st) == 0 ? (long)(uint)st.st_mode : -errno;
    }

    /// <summary>stat(2) by path: returns the st_mode bits, or -errno.</summary>
    public static long PathMode(string path)
    {
        byte[] p = Utf8Z(path);
        stat st;
        fixed (byte* pp = p)
        {
            return LibC.stat(pp, &st) == 0 ? (long)(uint)st.st_mode : -errno;
        }
    }

    public const int S_IFMT = 0xF000;
    public const int S_IFSOCK = 0xC000;
    public const int S_IFCHR = 0x2000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFREG = 0x8000;

    /// <summary>A NUL-terminated UTF-8 copy of a path (for calls made rarely, off the message path).</summary>
    public static byte[] Utf8Z(string s)
    {
        byte[] b = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, b);
        return b;
    }

    public static uint GetEuid() => (uint)geteuid();

    public static int GetPid() => getpid();
}
