using System.Diagnostics;
using HvUtils.Vss;
using HvUtils.Vss.Planning;

namespace HvUtils.Testing;

/// <summary>
/// Proof that a filesystem is frozen: a second process (dd with conv=fsync) writing a file on
/// it must block while frozen and complete after the thaw. Dispose kills it if it is still
/// blocked (after the test's finally has thawed, it completes anyway).
/// </summary>
public sealed class FrozenWriteProbe : IDisposable
{
    private readonly Process _process;

    private FrozenWriteProbe(Process process, string path)
    {
        _process = process;
        Path = path;
    }

    public string Path { get; }

    public static FrozenWriteProbe Start(string directory)
    {
        string path = System.IO.Path.Combine(directory, $"probe-{Guid.NewGuid():N}");
        var psi = new ProcessStartInfo("dd") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in new[] { "if=/dev/zero", $"of={path}", "bs=4096", "count=4", "conv=fsync", "status=none" })
        {
            psi.ArgumentList.Add(a);
        }
        return new FrozenWriteProbe(Process.Start(psi)!, path);
    }

    /// <summary>True when the writer is still running after <paramref name="wait"/>.</summary>
    public bool StaysBlockedFor(TimeSpan wait) => !_process.WaitForExit(wait);

    /// <summary>True when the writer finished successfully within <paramref name="timeout"/> and the file is complete.</summary>
    public bool Completes(TimeSpan timeout) =>
        _process.WaitForExit(timeout) && _process.ExitCode == 0 && new FileInfo(Path).Length == 4 * 4096;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

/// <summary>The safety rule of every freezing test: the plan the daemon will build contains the test's mount and nothing else.</summary>
public static class FreezePlanGuard
{
    /// <summary>Throws unless the plan from this process's mountinfo (same namespace as the daemon) is exactly <paramref name="mountPoint"/>.</summary>
    public static void AssertOnly(string mountPoint, VssOptions? options = null)
    {
        options ??= new VssOptions { Include = [mountPoint] };
        FreezePlan plan = new FreezePlanner(options).PlanFromFile(options.MountInfoPath);
        if (plan.Targets.Count != 1 || plan.Targets[0].MountPoint != mountPoint)
        {
            throw new InvalidOperationException($"refusing to freeze: the plan is [{string.Join(", ", plan.MountPoints)}], not just {mountPoint}");
        }
    }
}
