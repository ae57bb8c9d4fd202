using System.Diagnostics;
using HvUtils.Testing;

namespace HvUtils.Kvp.Tests;

/// <summary>Other pool writers, played by python3: the C daemon's fcntl lock, cloud-init's flock + append.</summary>
internal static class ExternalWriter
{
    /// <summary>Runs a python3 snippet with the given arguments to completion.</summary>
    public static string Python(string script, params string[] args) => ProcessRunner.Run("python3", ["-c", script, .. args], check: true).Output;

    /// <summary>cloud-init's way: flock(LOCK_EX), append one NUL-padded record with O_APPEND.</summary>
    public const string CloudInitAppend = """
import fcntl, struct, sys
with open(sys.argv[1], "ab") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    f.write(struct.pack("512s2048s", sys.argv[2].encode(), sys.argv[3].encode()))
    f.flush()
    fcntl.flock(f, fcntl.LOCK_UN)
""";

    /// <summary>Overwrites the value of record N in place (same file size), under a POSIX fcntl lock like the C daemon.</summary>
    public const string FcntlOverwriteValue = """
import fcntl, struct, sys, os
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
os.pwrite(fd, struct.pack("2048s", sys.argv[3].encode()), int(sys.argv[2]) * 2560 + 512)
fcntl.lockf(fd, fcntl.LOCK_UN)
os.close(fd)
""";

    /// <summary>Holds a lock ("fcntl" or "flock") on a file until stdin closes; prints "locked" once it has it.</summary>
    public static Process Hold(string path, string kind)
    {
        string script = $$"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
{{(kind == "fcntl" ? "fcntl.lockf(fd, fcntl.LOCK_EX)" : "fcntl.flock(fd, fcntl.LOCK_EX)")}}
print("locked", flush=True)
sys.stdin.read()
""";
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        Process p = Process.Start(psi)!;
        Assert.Equal("locked", p.StandardOutput.ReadLine());
        return p;
    }

    /// <summary>Lets a holder exit and waits for it.</summary>
    public static void Release(Process holder)
    {
        holder.StandardInput.Close();
        holder.WaitForExit(10_000);
        holder.Dispose();
    }
}
