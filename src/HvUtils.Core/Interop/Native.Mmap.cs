namespace HvUtils.Core.Interop;

// sys/mman.h: the FCOPY UIO transport maps the VMBus ring pair shared with the host
// (spec/fcopy.md B.2: mmap(NULL, 2R, RW, MAP_SHARED, fd, 0)); FCOPY gathers fragments in a
// private anonymous mapping (returned to the system by munmap the moment a copy ends, unlike
// malloc'd memory past glibc's adaptive mmap threshold); the start-up memory trim pages out
// the executable's start-up-only pages with madvise (Hosting/StartupMemoryTrim.cs).
public static unsafe partial class Native
{
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;

    /// <summary>Reclaim the range now (Linux ≥ 5.4): clean file pages are dropped and read back on use.</summary>
    public const int MADV_PAGEOUT = 21;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint mmap_(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int munmap_(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int madvise_(nint address, nuint length, int advice);

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> shared read/write; returns the address or -errno.</summary>
    public static nint MapShared(int fd, long length, long offset = 0)
    {
        nint p = mmap_(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
        return p == -1 ? -Marshal.GetLastSystemError() : p;
    }

    public static int Unmap(nint address, long length) => munmap_(address, (nuint)length) == 0 ? 0 : -Marshal.GetLastSystemError();

    /// <summary>Maps <paramref name="length"/> bytes of zeroed private memory (page-aligned); returns the address or -errno. Free with <see cref="Unmap"/>.</summary>
    public static nint MapAnonymous(long length)
    {
        nint p = mmap_(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == -1 ? -Marshal.GetLastSystemError() : p;
    }

    /// <summary>madvise(2); 0 or -errno.</summary>
    public static int Advise(nint address, long length, int advice) =>
        madvise_(address, (nuint)length, advice) == 0 ? 0 : -Marshal.GetLastSystemError();
}
