namespace HvUtils.Core.Interop;

// sys/mman.h madvise(2): the start-up memory trim hands the executable's start-up-only code
// pages back to the kernel once the daemon is idle (Hosting/StartupMemoryTrim.cs).
public static partial class Native
{
    /// <summary>Reclaim the range now (Linux ≥ 5.4); clean file pages are simply dropped and re-read on use.</summary>
    public const int MADV_PAGEOUT = 21;

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int madvise_(nint address, nuint length, int advice);

    /// <summary>madvise(2); 0 or -errno.</summary>
    public static int Advise(nint address, long length, int advice) =>
        madvise_(address, (nuint)length, advice) == 0 ? 0 : -Marshal.GetLastSystemError();
}
