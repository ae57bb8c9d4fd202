using HvUtils.Testing;
using HvUtils.Vss.Hooks;

namespace HvUtils.Vss.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FreezeHooksTests : IDisposable
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _dir = new();
    private readonly ListLogger _logger = new();

    public void Dispose() => _dir.Dispose();

    private string Hooks => _dir.Combine("hooks");

    private string Journal => _dir.Combine("journal");

    private FreezeHooks Runner(TimeSpan? timeout = null) => new(Hooks, timeout ?? TimeSpan.FromSeconds(10), _logger);

    private string Recorder(string name) => HookScripts.Write(Hooks, name,
        $"echo \"{name} $1 $HVUTILS_VSS_OPERATION $HVUTILS_VSS_MOUNT_COUNT $(echo \"$HVUTILS_VSS_MOUNTS\" | tr '\\n' ',')\" >> {Journal}");

    [Fact]
    public void Freeze_runs_in_name_order_and_thaw_in_reverse_with_the_operation_and_mounts_in_the_environment()
    {
        Recorder("20-second");
        Recorder("10-first");
        HookScripts.Write(Hooks, ".hidden", "exit 1");
        HookScripts.Write(Hooks, "30-old~", "exit 1");
        FreezeHooks hooks = Runner();
        IReadOnlyList<FreezeHook> list = hooks.List();
        Assert.Equal(["10-first", "20-second"], list.Select(h => h.Name));
        Assert.All(hooks.Run(list, FreezeHooks.Freeze, ["/a", "/"], stopOnFailure: true), r => Assert.True(r.Succeeded));
        Assert.All(hooks.Run(list.Reverse(), FreezeHooks.Thaw, ["/a", "/"], stopOnFailure: false), r => Assert.True(r.Succeeded));
        Assert.Equal(
            ["10-first freeze freeze 2 /a,/,", "20-second freeze freeze 2 /a,/,", "20-second thaw thaw 2 /a,/,", "10-first thaw thaw 2 /a,/,"],
            File.ReadAllLines(Journal));
    }

    [Fact]
    public void A_failing_hook_stops_the_freeze_run_and_its_output_is_logged()
    {
        HookScripts.Write(Hooks, "10-fail", "echo database busy >&2; exit 4");
        Recorder("20-never");
        IReadOnlyList<HookRun> runs = Runner().Run(Runner().List(), FreezeHooks.Freeze, [], stopOnFailure: true);
        HookRun run = Assert.Single(runs);
        Assert.Equal(("failure", 4), (run.Outcome, run.ExitCode));
        Assert.False(File.Exists(Journal));
        Assert.Contains(_logger.Lines, l => l.Contains("exited with 4: database busy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hook_over_its_timeout_is_killed_with_its_children()
    {
        HookScripts.Write(Hooks, "10-slow", $"sleep 30 & echo $! > {_dir.Combine("child")}; wait");
        HookRun run = Assert.Single(Runner(TimeSpan.FromMilliseconds(300)).Run(Runner().List(), FreezeHooks.Freeze, [], stopOnFailure: true));
        Assert.Equal("timeout", run.Outcome);
        Assert.True(run.Duration < TimeSpan.FromSeconds(10));
        int child = int.Parse(File.ReadAllText(_dir.Combine("child")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{child}"), TimeSpan.FromSeconds(5));
        Assert.False(Directory.Exists($"/proc/{child}"), "the hook's child survived the timeout");
    }

    [Fact]
    public void Non_executable_and_world_writable_hooks_are_refused_and_not_run()
    {
        HookScripts.Write(Hooks, "10-plain", $"touch {_dir.Combine("ran-plain")}", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        HookScripts.Write(Hooks, "20-open", $"touch {_dir.Combine("ran-open")}", Executable | UnixFileMode.OtherWrite);
        IReadOnlyList<HookRun> runs = Runner().Run(Runner().List(), FreezeHooks.Freeze, [], stopOnFailure: false);
        Assert.Equal(["refused", "refused"], runs.Select(r => r.Outcome));
        Assert.Equal(["not executable", "world-writable"], runs.Select(r => r.Hook.RefusedBecause));
        Assert.False(File.Exists(_dir.Combine("ran-plain")));
        Assert.False(File.Exists(_dir.Combine("ran-open")));
        Assert.Contains(_logger.Lines, l => l.Contains("refusing hook", StringComparison.Ordinal) && l.Contains("world-writable", StringComparison.Ordinal));
    }

    [RootFact("chown to another user")]
    public void A_hook_owned_by_another_user_is_refused()
    {
        string path = HookScripts.Write(Hooks, "10-foreign", "exit 0");
        ProcessRunner.Run("chown", "65534", path);
        Assert.Equal("owned by uid 65534, not by root or the daemon's user", Assert.Single(Runner().List()).RefusedBecause);
    }

    [Fact]
    public void A_missing_hooks_directory_means_no_hooks() => Assert.Empty(Runner().List());
}
