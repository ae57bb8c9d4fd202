using HvUtils.Core.Interop;
using HvUtils.Fcopy;
using HvUtils.HostSim.Devices;
using HvUtils.HostSim.Fcopy;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// SIGKILL of the real daemon at random points of a stream of SET/DELETE (KVP) and of copies
/// (FCOPY, whose slowest step is COMPLETE's fsync, so most kills land in or around it), then a
/// restart (issue 9 point 3). After every restart: every acknowledged change is there, the one
/// change in flight is either wholly there or wholly absent, and no partial record or file is visible.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CrashConsistencyTests
{
    private const int Rounds = 6;

    [Fact]
    public async Task Sigkill_during_sets_and_deletes_loses_no_acknowledged_record_and_tears_none()
    {
        using var dir = new TempDirectory();
        var acked = new Dictionary<string, string>();
        var timing = new Random(91);
        var ops = new Random(92);
        int version = 0;
        for (int round = 0; round < Rounds; round++)
        {
            (string Key, string? Value)? inFlight = null;
            await using (KvpSession s = await KvpSession.StartAsync(dir.Path))
            {
                AssertPool(s.PoolFile(0), acked, null);
                var writer = Task.Run(async () =>
                {
                    while (true)
                    {
                        string key = $"key{ops.Next(16)}";
                        bool delete = ops.Next(5) == 0 && acked.ContainsKey(key);
                        string? value = delete ? null : Value(key, ++version);
                        inFlight = (key, value);
                        KvpHostResult r = delete ? await s.Host.DeleteAsync(0, key) : await s.Host.SetAsync(0, key, value!);
                        if (r.Failure is not null)
                        {
                            return; // the daemon died under this request: not acknowledged
                        }
                        Assert.True(r.Ok, $"{key}: status 0x{r.Status:X8}");
                        if (value is null)
                        {
                            acked.Remove(key);
                        }
                        else
                        {
                            acked[key] = value;
                        }
                    }
                });
                await Task.Delay(timing.Next(30, 400));
                Assert.Equal(0, Native.Kill(s.Daemon.Pid, Native.SIGKILL));
                await writer.WaitAsync(FaultBed.Patience);
                await s.Daemon.WaitForExitAsync();
                AssertPool(s.PoolFile(0), acked, inFlight);
                // Either outcome of the in-flight change is now the state every later restart must keep.
                acked.Clear();
                foreach ((string key, string value) in ReadPool(s.PoolFile(0)))
                {
                    acked[key] = value;
                }
            }
        }
        await using KvpSession last = await KvpSession.StartAsync(dir.Path);
        foreach ((string key, string value) in acked)
        {
            Assert.Equal(value, (await last.Host.GetAsync(0, key)).Value);
        }
        Assert.Equal(acked.Count, (await last.Host.EnumerateAllAsync(0)).Records.Count);
    }

    [Fact]
    public async Task Sigkill_during_copies_leaves_only_complete_files_and_every_acknowledged_one()
    {
        using var dir = new TempDirectory();
        string target = dir.Combine("target");
        Directory.CreateDirectory(target);
        var acked = new HashSet<string>();
        var timing = new Random(93);
        int next = 0;
        for (int round = 0; round < Rounds; round++)
        {
            string? inFlight = null;
            await using (FcopySimSession s = await FcopySimSession.StartAsync("legacy", dir.Combine("work")))
            {
                AssertCopies(target, acked, null);
                var writer = Task.Run(async () =>
                {
                    while (true)
                    {
                        string name = $"f{next++}";
                        inFlight = name;
                        byte[] data = Content(name);
                        using var source = new MemoryStream(data);
                        try
                        {
                            FcopyResult r = await FcopyHost.CopyAsync(s.Link, source, data.Length, target, name, 0);
                            Assert.True(r.Succeeded, r.ToString());
                        }
                        catch (HostRequestException)
                        {
                            return;
                        }
                        acked.Add(name);
                    }
                });
                await Task.Delay(timing.Next(30, 400));
                Assert.Equal(0, Native.Kill(s.Daemon.Pid, Native.SIGKILL));
                await writer.WaitAsync(FaultBed.Patience);
                await s.Daemon.WaitForExitAsync();
            }
            // The restart's start-up sweep runs before the check of the next round (and the last check below).
            if (inFlight is not null && File.Exists(Path.Combine(target, inFlight)))
            {
                acked.Add(inFlight);
            }
        }
        await using (FcopySimSession s = await FcopySimSession.StartAsync("legacy", dir.Combine("work")))
        {
            AssertCopies(target, acked, null);
            Assert.DoesNotContain(Directory.GetFileSystemEntries(s.RuntimeDirectory), e => Path.GetFileName(e).StartsWith("fcopy", StringComparison.Ordinal));
        }
        Assert.True(acked.Count >= Rounds, $"only {acked.Count} copies were acknowledged: the kills came too early to test anything");
    }

    [Fact]
    public async Task A_daemon_stopped_with_a_SET_queued_and_killed_leaves_no_trace_of_it()
    {
        using var dir = new TempDirectory();
        await using (KvpSession s = await KvpSession.StartAsync(dir.Path))
        {
            Assert.True((await s.Host.SetAsync(0, "acked", "yes")).Ok);
            Task<KvpHostResult> queued = await StopThenQueueAsync(s.Daemon.Pid, s.Simulator.Kvp, () => s.Host.SetAsync(0, "queued", "no"));
            Assert.NotNull((await queued.WaitAsync(FaultBed.Patience)).Failure);
            await s.Daemon.WaitForExitAsync();
        }
        await using KvpSession after = await KvpSession.StartAsync(dir.Path);
        Assert.Equal([("acked", "yes")], PoolFiles.ReadWhole(after.PoolFile(0)));
    }

    [Fact]
    public async Task A_daemon_stopped_with_a_COMPLETE_queued_and_killed_leaves_no_file()
    {
        using var dir = new TempDirectory();
        string target = dir.Combine("target");
        Directory.CreateDirectory(target);
        await using (FcopySimSession s = await FcopySimSession.StartAsync("legacy", dir.Combine("work")))
        {
            Assert.Equal(0u, await s.Link.SendAsync(s.Link.Start("never", target, 0, 100)));
            Assert.Equal(0u, await s.Link.SendAsync(FcopyMessages.Write(0, new byte[100])));
            Task<uint> complete = await StopThenQueueAsync(s.Daemon.Pid, s.Legacy!, () => s.Link.SendAsync(FcopyMessages.Header(FcopyWire.CompleteFcopy)));
            await Assert.ThrowsAsync<HostRequestException>(() => complete.WaitAsync(FaultBed.Patience));
            await s.Daemon.WaitForExitAsync();
        }
        await using (FcopySimSession s = await FcopySimSession.StartAsync("legacy", dir.Combine("work")))
        {
            Assert.Empty(Directory.GetFileSystemEntries(target));
        }
    }

    /// <summary>SIGSTOPs the daemon, delivers a request it will never read, then SIGKILLs it; returns the host's pending transaction.</summary>
    private static async Task<Task<T>> StopThenQueueAsync<T>(int pid, SimulatedDevice device, Func<Task<T>> request)
    {
        Assert.Equal(0, Native.Kill(pid, Native.SIGSTOP));
        Task<T> pending = request();
        await device.WaitForStateAsync(DeviceState.UserspaceReq, FaultBed.Patience);
        Assert.Equal(0, Native.Kill(pid, Native.SIGKILL));
        return pending;
    }

    // Under 1024 UTF-16 units in all, so the host side of a GET sees it whole (spec/kvp.md value size).
    private static string Value(string key, int version) => $"{key}:{version}:" + new string((char)('a' + version % 26), 900);

    private static void Apply(Dictionary<string, string> state, (string Key, string? Value) change)
    {
        if (change.Value is null)
        {
            state.Remove(change.Key);
        }
        else
        {
            state[change.Key] = change.Value;
        }
    }

    private static Dictionary<string, string> ReadPool(string path)
    {
        var records = new Dictionary<string, string>();
        if (!File.Exists(path))
        {
            return records;
        }
        foreach ((string key, string value) in PoolFiles.ReadWhole(path))
        {
            // A kill between a DELETE's move and its truncate leaves an identical duplicate (KvpPoolFile.Delete); anything else is a defect.
            Assert.True(!records.TryGetValue(key, out string? seen) || seen == value, $"{key} is stored twice with different values");
            records[key] = value;
        }
        return records;
    }

    /// <summary>The pool equals <paramref name="acked"/>, except that the in-flight change may also have landed, whole.</summary>
    private static void AssertPool(string path, Dictionary<string, string> acked, (string Key, string? Value)? inFlight)
    {
        Dictionary<string, string> actual = ReadPool(path);
        var alternative = new Dictionary<string, string>(acked);
        if (inFlight is { } f)
        {
            Apply(alternative, f);
        }
        bool matches = actual.Count == acked.Count && acked.All(a => actual.TryGetValue(a.Key, out string? v) && v == a.Value);
        bool matchesWithInFlight = actual.Count == alternative.Count && alternative.All(a => actual.TryGetValue(a.Key, out string? v) && v == a.Value);
        Assert.True(matches || matchesWithInFlight,
            $"pool holds [{string.Join(", ", actual.Keys.Order())}], acknowledged [{string.Join(", ", acked.Keys.Order())}], in flight {inFlight?.Key}");
    }

    private static byte[] Content(string name)
    {
        var r = new Random(name.GetHashCode(StringComparison.Ordinal));
        byte[] data = new byte[r.Next(1, 14000)];
        r.NextBytes(data);
        return data;
    }

    /// <summary>Exactly the acknowledged files (plus the in-flight one if it completed), each byte-exact; nothing else.</summary>
    private static void AssertCopies(string target, HashSet<string> acked, string? inFlight)
    {
        string[] entries = [.. Directory.GetFileSystemEntries(target).Select(e => Path.GetFileName(e)!)];
        foreach (string name in entries)
        {
            Assert.True(acked.Contains(name) || name == inFlight, $"unexpected entry {name} (a temp or partial file)");
            Assert.Equal(Content(name), File.ReadAllBytes(Path.Combine(target, name)));
        }
        Assert.All(acked, a => Assert.Contains(a, entries));
    }
}
