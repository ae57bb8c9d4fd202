namespace HvUtils.Core.Interop;

// sys/mman.h: the FCOPY UIO transport maps the VMBus ring pair shared with the host
// (spec/fcopy.md B.2: mmap(NULL, 2R, RW, MAP_SHARED, fd, 0)).
public static unsafe partial class Native
{
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint mmap_(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int munmap_(nint addr, nuint length);

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> shared read/write; returns the address or -errno.</summary>
    public static nint MapShared(int fd, long length, long offset = 0)
    {
        nint p = mmap_(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
        return p == -1 ? -Marshal.GetLastSystemError() : p;
    }

    public static int Unmap(nint address, long length) => munmap_(address, (nuint)length) == 0 ? 0 : -Marshal.GetLastSystemError();
}
