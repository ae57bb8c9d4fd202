using System.Diagnostics;
using System.Text;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary><c>hvutils kvp</c> as guest software runs it: clear errors, the daemon's locks, and no torn record when it is killed mid-write.</summary>
public sealed class KvpCliTests
{
    [Fact]
    public void Errors_name_the_problem_and_have_distinct_exit_codes()
    {
        using var dir = new TempDirectory();
        (int code, string output) = Hvutils("kvp", "get", "--pool-dir", dir.Path, "k");
        Assert.Equal(3, code);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
        for (int p = 0; p < 5; p++)
        {
            File.WriteAllBytes(Path.Combine(dir.Path, $".kvp_pool_{p}"), []);
        }
        (code, output) = Hvutils("kvp", "set", "--pool-dir", dir.Path, new string('k', 512), "v");
        Assert.Equal(2, code);
        Assert.Contains("512 UTF-8 bytes", output, StringComparison.Ordinal);
        (code, output) = Hvutils("kvp", "set", "--pool-dir", dir.Path, "k", new string('v', 2048));
        Assert.Equal(2, code);
        Assert.Contains("2048 UTF-8 bytes", output, StringComparison.Ordinal);
        (code, output) = Hvutils("kvp", "get", "--pool", "7", "--pool-dir", dir.Path, "k");
        Assert.Equal(2, code);
        (code, output) = Hvutils("kvp", "delete", "--pool-dir", dir.Path, "absent");
        Assert.Equal(1, code);
        Assert.Contains("not found", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lockf")]
    [InlineData("flock")]
    public void A_lock_held_past_the_timeout_is_reported_and_nothing_changes(string kind)
    {
        using var dir = new TempDirectory();
        string pool = Path.Combine(dir.Path, ".kvp_pool_1");
        File.WriteAllBytes(pool, []);
        string config = dir.Combine("appsettings.json");
        File.WriteAllText(config, "{\"Kvp\":{\"LockTimeout\":\"00:00:00.300\"}}");
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-c", $"import fcntl,os,sys\nfd=os.open(sys.argv[1],os.O_RDWR)\nfcntl.{kind}(fd,fcntl.LOCK_EX)\nprint('locked',flush=True)\nsys.stdin.read()", pool })
        {
            psi.ArgumentList.Add(a);
        }
        using Process holder = Process.Start(psi)!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());
        (int code, string output) = Hvutils("kvp", "set", "--config", config, "--pool-dir", dir.Path, "k", "v");
        holder.StandardInput.Close();
        holder.WaitForExit();
        Assert.Equal(4, code);
        Assert.Contains("stayed locked", output, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(pool).Length);
        Assert.Equal(0, Hvutils("kvp", "set", "--config", config, "--pool-dir", dir.Path, "k", "v").Code);
    }

    [Fact]
    public async Task Killing_writers_at_random_instants_leaves_no_torn_record()
    {
        using var dir = new TempDirectory();
        string pool = Path.Combine(dir.Path, ".kvp_pool_1");
        File.WriteAllBytes(pool, []);
        var random = new Random(42);
        var acknowledged = new Dictionary<string, string>();
        // Per key, every value attempted after its last acknowledged one: a writer killed after
        // its write reached the file (but before we saw it exit 0) may legitimately have won.
        var laterAttempts = new Dictionary<string, List<string>>();
        for (int i = 0; i < 40; i++)
        {
            string key = $"crash-{i % 6}", value = $"value-{i}-{new string('x', random.Next(1, 2000))}";
            var psi = new ProcessStartInfo(KvpSession.HvutilsBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "kvp", "set", "--pool-dir", dir.Path, key, value })
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed .NET process would leave its diagnostic IPC files in /tmp
            using Process p = Process.Start(psi)!;
            Task exited = p.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(random.Next(20, 250))) != exited)
            {
                p.Kill();
            }
            await p.WaitForExitAsync();
            if (p.ExitCode == 0)
            {
                acknowledged[key] = value;
                laterAttempts[key] = [];
            }
            else
            {
                laterAttempts.TryAdd(key, []);
                laterAttempts[key].Add(value);
            }
        }
        byte[] file = File.ReadAllBytes(pool);
        Assert.Equal(0, file.Length % 2560);
        var records = new Dictionary<string, string>();
        for (int at = 0; at < file.Length; at += 2560)
        {
            string key = CString(file.AsSpan(at, 512)), value = CString(file.AsSpan(at + 512, 2048));
            Assert.Matches("^crash-[0-5]$", key);
            Assert.Matches("^value-[0-9]+-x+$", value);
            Assert.True(records.TryAdd(key, value), $"duplicate {key}");
        }
        foreach ((string key, string value) in acknowledged)
        {
            // Whole records only (checked above), and never older than the last acknowledged write.
            Assert.True(records[key] == value || laterAttempts[key].Contains(records[key]),
                $"{key}: {records[key][..12]}… is neither the last acknowledged value nor a later attempt");
        }
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        Assert.True(nul >= 0 && !field[nul..].ContainsAnyExcept((byte)0), "torn field");
        return Encoding.UTF8.GetString(field[..nul]);
    }

    private static (int Code, string Output) Hvutils(params string[] args) => ProcessRunner.Run(KvpSession.HvutilsBinary, args, check: false);
}
