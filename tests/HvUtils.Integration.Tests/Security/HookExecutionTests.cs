using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Security;

/// <summary>
/// Freeze hooks are exec'd directly, never through a shell (issue 9 point 4): names full of
/// shell syntax run literally, each hook's parent is the daemon itself (no <c>sh -c</c> in
/// between) and its argv is exactly the kernel's shebang expansion of (path, operation).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HookExecutionTests
{
    private static readonly string[] HostileNames =
    [
        "10-semi;touch pwned1",
        "20-$(touch pwned2)",
        "30-a b `touch pwned3`",
        "40-'q\"|touch pwned4&",
        "50-*",
    ];

    [RootFact]
    public async Task Hooks_with_shell_syntax_in_their_names_run_literally_as_children_of_the_daemon()
    {
        await using VssTestBed bed = await VssTestBed.StartAsync();
        string records = bed.Dir.Combine("records");
        Directory.CreateDirectory(records);
        for (int i = 0; i < HostileNames.Length; i++)
        {
            // $$ is the hook process itself: its cmdline is what the daemon exec'd (after the kernel's shebang expansion).
            Faults.LateReplyTests.WriteHook(bed.HooksDirectory, HostileNames[i],
                $"echo $PPID > {records}/{i}.ppid\ntr '\\0' '\\n' < /proc/$$/cmdline > {records}/{i}.argv");
        }
        Assert.True((await bed.FreezeAsync()).Succeeded, bed.DaemonLog);
        Assert.True((await bed.Host.ThawAsync()).Succeeded);
        for (int i = 0; i < HostileNames.Length; i++)
        {
            string hook = Path.Combine(bed.HooksDirectory, HostileNames[i]);
            Assert.True(File.Exists($"{records}/{i}.argv"), $"hook '{HostileNames[i]}' did not run: {bed.DaemonLog}");
            string[] argv = File.ReadAllLines($"{records}/{i}.argv");
            Assert.Equal(["/bin/sh", hook, "thaw"], argv); // the thaw run overwrote the freeze run's record
            Assert.Equal(bed.Daemon!.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText($"{records}/{i}.ppid").Trim());
        }
        Assert.Empty(Directory.GetFiles(bed.Dir.Path, "pwned*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Environment.CurrentDirectory, "pwned*"));
    }
}
