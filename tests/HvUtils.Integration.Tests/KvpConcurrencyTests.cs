using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;
using Xunit.Abstractions;

namespace HvUtils.Integration.Tests;

/// <summary>
/// Issue 3 point 7: three external writers on the same pool file — a careful fcntl
/// writer (read-modify-write under a whole-file POSIX lock), a cloud-init style flock +
/// append writer, and <c>hvutils kvp set</c> — while the real daemon serves 10,000 host
/// SETs and ENUMERATEs. Afterwards every acknowledged record holds its last value, none
/// is torn or duplicated, and every appended record is still there.
/// </summary>
public sealed class KvpConcurrencyTests(ITestOutputHelper log)
{
    private const int HostOperations = 10_000;

    private const string FcntlWriter = """
import fcntl, json, os, struct, sys, time
path, stop = sys.argv[1], sys.argv[2]
rw = os.open(path, os.O_RDWR)
ap = os.open(path, os.O_WRONLY | os.O_APPEND)
last, i = {}, 0
while not os.path.exists(stop):
    key, val = "fcntl-%d" % (i % 10), "f-%d" % i
    fcntl.lockf(rw, fcntl.LOCK_EX)
    size = os.fstat(rw).st_size
    data = os.pread(rw, size, 0)
    slot = next((s for s in range(size // 2560) if data[s * 2560:s * 2560 + 512].split(b"\0", 1)[0] == key.encode()), -1)
    if slot >= 0:
        os.pwrite(rw, struct.pack("2048s", val.encode()), slot * 2560 + 512)
    else:
        os.write(ap, struct.pack("512s2048s", key.encode(), val.encode()))
    fcntl.lockf(rw, fcntl.LOCK_UN)
    last[key] = val
    i += 1
    time.sleep(0.001)
print(json.dumps({"ops": i, "last": last}))
""";

    private const string CloudInitWriter = """
import fcntl, json, os, struct, sys, time
path, stop = sys.argv[1], sys.argv[2]
n = 0
while not os.path.exists(stop) and n < 1500:
    with open(path, "ab") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(struct.pack("512s2048s", ("cloudinit-%d" % n).encode(), ("c-%d" % n).encode()))
        f.flush()
        fcntl.flock(f, fcntl.LOCK_UN)
    n += 1
    time.sleep(0.005)
print(json.dumps({"ops": n}))
""";

    [Fact]
    public async Task Three_external_writers_and_10000_host_operations_lose_nothing()
    {
        using var dir = new TempDirectory();
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        string pool = s.PoolFile(1);
        string stop = dir.Combine("stop");
        using Process fcntl = StartPython(FcntlWriter, pool, stop);
        using Process cloudInit = StartPython(CloudInitWriter, pool, stop);
        var cli = new Dictionary<string, string>();
        int cliFailures = 0, cliRuns = 0;
        using var cts = new CancellationTokenSource();
        Task cliLoop = Task.Run(() =>
        {
            for (int i = 0; !cts.IsCancellationRequested; i++)
            {
                string key = $"cli-{i % 5}", value = $"cli-value-{i}";
                (int code, _) = ProcessRunner.Run(KvpSession.HvutilsBinary, ["kvp", "set", "--pool-dir", s.PoolDirectory, key, value], check: false);
                cliRuns++;
                if (code == 0)
                {
                    cli[key] = value;
                }
                else
                {
                    cliFailures++;
                }
            }
        });

        var host = new Dictionary<string, string>();
        int hostFailures = 0, enumerated = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < HostOperations; i++)
        {
            if (i % 4 == 3)
            {
                KvpHostResult r = await s.Host.EnumerateAsync(1, (uint)(i * 7 % 1200));
                Assert.True(r.Ok || r.Status == 0x80070103, $"enumerate status 0x{r.Status:X8}");
                if (r.Ok)
                {
                    enumerated++;
                    Assert.True(Expected(r.Key, r.Value), $"torn or foreign record {r.Key}={r.Value}");
                }
                continue;
            }
            string key = $"host-{i % 100}", value = $"host-{i}";
            KvpHostResult set = await s.Host.SetAsync(1, key, value);
            if (set.Ok)
            {
                host[key] = value;
            }
            else
            {
                hostFailures++;
            }
        }
        TimeSpan hostTime = sw.Elapsed;
        File.WriteAllText(stop, "");
        cts.Cancel();
        await cliLoop;
        JsonElement fcntlResult = JsonDocument.Parse(await fcntl.StandardOutput.ReadToEndAsync()).RootElement;
        JsonElement cloudResult = JsonDocument.Parse(await cloudInit.StandardOutput.ReadToEndAsync()).RootElement;
        await fcntl.WaitForExitAsync();
        await cloudInit.WaitForExitAsync();

        byte[] file = File.ReadAllBytes(pool);
        Assert.Equal(0, file.Length % 2560);
        var records = new Dictionary<string, string>();
        for (int at = 0; at < file.Length; at += 2560)
        {
            (string key, string value) = ParseRecord(file.AsSpan(at, 2560));
            Assert.True(records.TryAdd(key, value), $"duplicate key {key}");
        }
        foreach ((string key, string value) in host)
        {
            Assert.Equal(value, records[key]);
        }
        foreach ((string key, string value) in cli)
        {
            Assert.Equal(value, records[key]);
        }
        foreach (JsonProperty p in fcntlResult.GetProperty("last").EnumerateObject())
        {
            Assert.Equal(p.Value.GetString(), records[p.Name]);
        }
        int appended = cloudResult.GetProperty("ops").GetInt32();
        for (int n = 0; n < appended; n++)
        {
            Assert.Equal($"c-{n}", records[$"cloudinit-{n}"]);
        }
        Assert.Equal(host.Count + cli.Count + fcntlResult.GetProperty("last").EnumerateObject().Count() + appended, records.Count);
        (IReadOnlyList<KeyValuePair<string, string>> viaHost, _) = await s.Host.EnumerateAllAsync(1);
        Assert.Equal(records.Count, viaHost.Count);
        Assert.All(viaHost, r => Assert.Equal(records[r.Key], r.Value));
        Assert.Equal(0, hostFailures);
        log.WriteLine($"host: {HostOperations} operations in {hostTime.TotalSeconds:0.0} s ({host.Count} keys acknowledged, {enumerated} records enumerated, {hostFailures} failures); " +
            $"fcntl writer: {fcntlResult.GetProperty("ops").GetInt32()} read-modify-writes; cloud-init writer: {appended} appends; hvutils: {cliRuns} runs on {cli.Count} keys, " +
            $"{cliFailures} failed; records checked: {records.Count} in the file + {viaHost.Count} via host ENUMERATE");
    }

    /// <summary>Each writer's values carry its own prefix; anything else would be a torn or mixed record.</summary>
    private static bool Expected(string key, string value) =>
        (key.StartsWith("host-", StringComparison.Ordinal) && value.StartsWith("host-", StringComparison.Ordinal)) ||
        (key.StartsWith("fcntl-", StringComparison.Ordinal) && value.StartsWith("f-", StringComparison.Ordinal)) ||
        (key.StartsWith("cli-", StringComparison.Ordinal) && value.StartsWith("cli-value-", StringComparison.Ordinal)) ||
        (key.StartsWith("cloudinit-", StringComparison.Ordinal) && value == "c-" + key["cloudinit-".Length..]);

    /// <summary>Key and value up to their NUL; every byte after it must be zero (all these writers NUL-pad), or the record is torn.</summary>
    private static (string Key, string Value) ParseRecord(ReadOnlySpan<byte> record)
    {
        int kn = record[..512].IndexOf((byte)0);
        int vn = record[512..].IndexOf((byte)0);
        Assert.True(kn > 0 && vn >= 0, "record without terminators");
        Assert.True(!record[kn..512].ContainsAnyExcept((byte)0) && !record[(512 + vn)..].ContainsAnyExcept((byte)0), "bytes after a NUL");
        string key = Encoding.UTF8.GetString(record[..kn]), value = Encoding.UTF8.GetString(record.Slice(512, vn));
        Assert.True(Expected(key, value), $"torn or foreign record {key}={value}");
        return (key, value);
    }

    private static Process StartPython(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi)!;
    }
}
