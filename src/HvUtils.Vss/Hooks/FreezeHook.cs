using HvUtils.Core.Interop;

namespace HvUtils.Vss.Hooks;

/// <summary>One executable in the hooks directory, or the reason it is refused.</summary>
public sealed record FreezeHook(string Name, string Path, string? RefusedBecause)
{
    /// <summary>
    /// Hooks run as root during a backup, so only files that root (or the daemon's own user)
    /// owns, that nobody else can modify and that are executable are run.
    /// </summary>
    public static FreezeHook Inspect(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        int rc = Native.StatPath(path, out FileStatus st);
        string? refused = rc < 0 ? $"cannot stat it: {Errno.Describe(-rc)}"
            : (st.Mode & Native.S_IFMT) != Native.S_IFREG ? "not a regular file"
            : (st.Mode & 0x49) == 0 ? "not executable"
            : (st.Mode & 0x2) != 0 ? "world-writable"
            : st.Uid != 0 && st.Uid != Native.GetEuid() ? $"owned by uid {st.Uid}, not by root or the daemon's user"
            : null;
        return new FreezeHook(name, path, refused);
    }
}

/// <summary>What running one hook produced.</summary>
public sealed record HookRun(FreezeHook Hook, string Operation, bool Succeeded, string Outcome, int? ExitCode, TimeSpan Duration, string Output);
