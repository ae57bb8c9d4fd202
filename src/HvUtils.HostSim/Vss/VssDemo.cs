using System.Diagnostics;
using HvUtils.Core.Interop;
using HvUtils.HostSim.Demo;
using HvUtils.Vss;
using HvUtils.Vss.Planning;

namespace HvUtils.HostSim.Vss;

/// <summary>
/// The VSS part of <c>hvsim demo</c>. As root: a scratch ext4 loop filesystem, the daemon's
/// planner restricted to it (Vss:Include), FREEZE, a write that blocks, THAW, the write
/// completing. Otherwise: the plan the daemon would use and why nothing was frozen.
/// </summary>
public sealed class VssDemo : IDemoStep
{
    private ScratchFilesystem? _scratch;
    private string? _setupError;

    public string Title => "VSS: freeze and thaw for a host backup";

    /// <summary>Runs before the daemon starts, so the scratch filesystem is created here (lazily, once).</summary>
    public IEnumerable<string> DaemonArguments(string workDirectory)
    {
        string vssDir = Path.Combine(workDirectory, "vss");
        if (Native.GetEuid() == 0 && _scratch is null && _setupError is null)
        {
            try
            {
                _scratch = ScratchFilesystem.Create(vssDir);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _scratch?.Dispose();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                _setupError = ex.Message;
            }
        }
        return
        [
            // Only the scratch filesystem (or nothing at all): the demo never freezes anything it did not create.
            $"--Vss:Include:0={_scratch?.MountPoint ?? Path.Combine(vssDir, "no-such-mount")}",
            $"--Vss:HooksDirectory={Path.Combine(vssDir, "hooks")}",
            "--Vss:FreezeDeadline=00:01:00",
        ];
    }

    public async Task RunAsync(DemoSession s)
    {
        var host = new VssHost(s.Simulator.Vss);
        try
        {
            if (_scratch is null)
            {
                ExplainWithoutFreezing(s);
            }
            else
            {
                await FreezeAndThawAsync(s, host, _scratch);
            }
            VssReply backup = await host.HotBackupAsync();
            s.Say($"HOT_BACKUP: {backup} — the daemon only acknowledges it (spec/vss.md §6).");
        }
        finally
        {
            _scratch?.Dispose();
            _scratch = null;
        }
    }

    private void ExplainWithoutFreezing(DemoSession s)
    {
        s.Say(_setupError is null
            ? "Not running as root: FIFREEZE needs CAP_SYS_ADMIN, and the demo only freezes a scratch loop filesystem it creates as root. Nothing was frozen."
            : $"Could not create the scratch loop filesystem ({_setupError}). Nothing was frozen.");
        FreezePlan plan = new FreezePlanner(new VssOptions()).PlanFromFile("/proc/self/mountinfo");
        s.Say($"With default settings, a FREEZE on this machine would freeze: {(plan.Targets.Count == 0 ? "nothing" : string.Join(", ", plan.MountPoints))}");
        s.Say($"and skip {plan.Skipped.Count} other mounts (see 'hvutils vss plan' for the reasons).");
    }

    private static async Task FreezeAndThawAsync(DemoSession s, VssHost host, ScratchFilesystem scratch)
    {
        FreezePlan plan = new FreezePlanner(new VssOptions { Include = [scratch.MountPoint] }).PlanFromFile("/proc/self/mountinfo");
        if (plan.Targets.Count != 1 || plan.Targets[0].MountPoint != scratch.MountPoint)
        {
            throw new InvalidOperationException($"the restricted plan is not just {scratch.MountPoint}: {string.Join(", ", plan.MountPoints)}; not freezing");
        }
        s.Say($"Scratch ext4 on {scratch.Device} mounted at {scratch.MountPoint}; the daemon's plan is restricted to it (Vss:Include).");
        var sw = Stopwatch.StartNew();
        VssReply frozen = await host.FreezeAsync();
        s.Say($"FREEZE: {frozen} in {sw.Elapsed.TotalMilliseconds:0.0} ms.");
        using Process writer = StartWriter(Path.Combine(scratch.MountPoint, "written-while-frozen"));
        bool blocked = !writer.WaitForExit(500);
        s.Say(blocked ? "A writer process (dd … conv=fsync) has been blocked for 500 ms: the filesystem is frozen."
            : "The writer finished while frozen: the freeze did not hold!");
        sw.Restart();
        VssReply thawed = await host.ThawAsync();
        s.Say($"THAW: {thawed} in {sw.Elapsed.TotalMilliseconds:0.0} ms.");
        sw.Restart();
        await writer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        s.Say($"The blocked write completed {sw.Elapsed.TotalMilliseconds:0.0} ms after THAW (exit code {writer.ExitCode}).");
        if (!frozen.Succeeded || !thawed.Succeeded || !blocked)
        {
            throw new InvalidOperationException("the VSS freeze/thaw demo did not behave as expected");
        }
    }

    private static Process StartWriter(string path)
    {
        var psi = new ProcessStartInfo("dd") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in new[] { "if=/dev/zero", $"of={path}", "bs=4096", "count=1", "conv=fsync", "status=none" })
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("dd did not start");
    }
}
