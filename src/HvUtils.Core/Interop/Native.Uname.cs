namespace HvUtils.Core.Interop;

// sys/utsname.h — not in Tmds.LibC 0.5 (stack.md).
public static unsafe partial class Native
{
    private const int UtsFieldLength = 65;

    /// <summary>The uname(2) fields the KVP AUTO pool reports (spec/kvp.md §6).</summary>
    public readonly record struct UtsName(string SysName, string NodeName, string Release, string Version, string Machine);

    [LibraryImport("libc", EntryPoint = "uname", SetLastError = true)]
    private static partial int uname(byte* buf);

    /// <summary>uname(2); returns 0 or -errno.</summary>
    public static int Uname(out UtsName name)
    {
        byte* buf = stackalloc byte[UtsFieldLength * 6];
        if (uname(buf) != 0)
        {
            name = default;
            return -Marshal.GetLastPInvokeError();
        }
        name = new UtsName(Field(buf, 0), Field(buf, 1), Field(buf, 2), Field(buf, 3), Field(buf, 4));
        return 0;
    }

    private static string Field(byte* buf, int index) =>
        Marshal.PtrToStringUTF8((nint)(buf + (index * UtsFieldLength))) ?? "";
}
