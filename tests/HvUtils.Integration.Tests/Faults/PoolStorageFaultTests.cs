using System.Security.Cryptography;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>
/// KVP pool files damaged or unwritable under the real daemon (issue 9 point 3): the daemon
/// keeps serving what it can read, refuses what it cannot write, and never loses or tears an
/// existing record. Read-only cases use <c>chattr +i</c> and a read-only remount of a loop
/// ext4 (the tests run as root, so file modes prove nothing), always undone in finally.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PoolStorageFaultTests
{
    [Fact]
    public async Task A_pool_truncated_mid_record_keeps_every_whole_record_and_still_accepts_writes()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("pools"));
        byte[] partial = PoolFiles.Record("torn", "half written")[..1234];
        File.WriteAllBytes(dir.Combine("pools", ".kvp_pool_0"), [.. PoolFiles.Record("a", "1"), .. PoolFiles.Record("b", "2"), .. partial]);
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        (IReadOnlyList<KeyValuePair<string, string>> records, _) = await s.Host.EnumerateAllAsync(0);
        Assert.Equal(["a", "b"], records.Select(r => r.Key));
        Assert.True((await s.Host.SetAsync(0, "c", "3")).Ok);
        Assert.True((await s.Host.SetAsync(0, "a", "1b")).Ok);
        Assert.Equal("1b", (await s.Host.GetAsync(0, "a")).Value);
        Assert.Equal("3", (await s.Host.GetAsync(0, "c")).Value);
        byte[] file = File.ReadAllBytes(s.PoolFile(0));
        Assert.Equal(3 * PoolFiles.RecordSize + partial.Length, file.Length);
        Assert.Equal(partial, file[(3 * PoolFiles.RecordSize)..]);
        Assert.Equal(PoolFiles.Record("c", "3"), file[(2 * PoolFiles.RecordSize)..(3 * PoolFiles.RecordSize)]);
    }

    [Fact]
    public async Task A_pool_full_of_garbage_is_served_as_read_and_never_rewritten()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("pools"));
        byte[] garbage = RandomNumberGenerator.GetBytes(3 * PoolFiles.RecordSize + 77);
        File.WriteAllBytes(dir.Combine("pools", ".kvp_pool_1"), garbage);
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        (IReadOnlyList<KeyValuePair<string, string>> records, uint end) = await s.Host.EnumerateAllAsync(1);
        Assert.Equal(KvpHostResult.S_CONT, end);
        Assert.InRange(records.Count, 1, 3);
        Assert.True((await s.Host.SetAsync(1, "sane", "value")).Ok);
        Assert.Equal("value", (await s.Host.GetAsync(1, "sane")).Value);
        byte[] file = File.ReadAllBytes(s.PoolFile(1));
        Assert.Equal(garbage[..(3 * PoolFiles.RecordSize)], file[..(3 * PoolFiles.RecordSize)]);
        Assert.Equal(garbage[(3 * PoolFiles.RecordSize)..], file[(4 * PoolFiles.RecordSize)..]);
        Assert.True((await s.Host.SetAsync(0, "other", "pool")).Ok);
        Assert.False(s.Daemon.HasExited);
    }

    [RootFact]
    public async Task An_immutable_pool_refuses_writes_keeps_its_bytes_and_recovers_when_writable()
    {
        using var dir = new TempDirectory();
        using LoopFilesystem fs = LoopFilesystem.Create();
        string pools = Path.Combine(fs.MountPoint, "pools");
        await using KvpSession s = await KvpSession.StartAsync(dir.Path, [$"--Kvp:PoolDirectory={pools}"]);
        string pool = Path.Combine(pools, ".kvp_pool_0");
        Assert.True((await s.Host.SetAsync(0, "kept", "v1")).Ok);
        byte[] before = File.ReadAllBytes(pool);
        ProcessRunner.Run("chattr", "+i", pool);
        try
        {
            Assert.False((await s.Host.SetAsync(0, "new", "x")).Ok);
            Assert.False((await s.Host.SetAsync(0, "kept", "v2")).Ok);
            Assert.False((await s.Host.DeleteAsync(0, "kept")).Ok);
            Assert.Equal(before, File.ReadAllBytes(pool));

            // A second daemon meeting the immutable file at start (open O_RDWR fails with EPERM) still serves it.
            using var dir2 = new TempDirectory();
            await using KvpSession fresh = await KvpSession.StartAsync(dir2.Path, [$"--Kvp:PoolDirectory={pools}"]);
            Assert.Equal("v1", (await fresh.Host.GetAsync(0, "kept")).Value);
            Assert.False((await fresh.Host.SetAsync(0, "kept", "v2")).Ok);
            Assert.Equal(before, File.ReadAllBytes(pool));
        }
        finally
        {
            ProcessRunner.Run("chattr", "-i", pool);
        }
        Assert.True((await s.Host.SetAsync(0, "kept", "v3")).Ok);
        Assert.Equal("v3", (await s.Host.GetAsync(0, "kept")).Value);
        Assert.False(s.Daemon.HasExited);
    }

    [RootFact]
    public async Task A_daemon_starting_on_a_read_only_mount_serves_reads_and_refuses_writes()
    {
        using var dir = new TempDirectory();
        using LoopFilesystem fs = LoopFilesystem.Create();
        string pools = Path.Combine(fs.MountPoint, "pools");
        string pool = Path.Combine(pools, ".kvp_pool_0");
        string[] args = [$"--Kvp:PoolDirectory={pools}"];
        await using (KvpSession first = await KvpSession.StartAsync(dir.Path, args))
        {
            Assert.True((await first.Host.SetAsync(0, "kept", "v1")).Ok);
        }
        byte[] before = File.ReadAllBytes(pool);
        // Remounting needs no writer holding a file open, so the daemon meets the read-only mount at start.
        ProcessRunner.Run("mount", "-o", "remount,ro", fs.MountPoint);
        try
        {
            await using KvpSession s = await KvpSession.StartAsync(dir.Path, args);
            Assert.Equal("v1", (await s.Host.GetAsync(0, "kept")).Value);
            Assert.False((await s.Host.SetAsync(0, "new", "x")).Ok);
            Assert.False((await s.Host.SetAsync(0, "kept", "v2")).Ok);
            Assert.False((await s.Host.SetAsync(3, "other", "pool")).Ok);
            Assert.Equal("v1", (await s.Host.GetAsync(0, "kept")).Value);
            Assert.False(s.Daemon.HasExited);
        }
        finally
        {
            ProcessRunner.Run("mount", "-o", "remount,rw", fs.MountPoint);
        }
        Assert.Equal(before, File.ReadAllBytes(pool));
        await using KvpSession after = await KvpSession.StartAsync(dir.Path, args);
        Assert.True((await after.Host.SetAsync(0, "new", "x")).Ok);
        Assert.Equal([("kept", "v1"), ("new", "x")], PoolFiles.ReadWhole(pool));
    }

    [RootFact]
    public async Task A_full_filesystem_refuses_new_keys_without_a_partial_record_and_recovers()
    {
        using var dir = new TempDirectory();
        using LoopFilesystem fs = LoopFilesystem.Create();
        string pools = Path.Combine(fs.MountPoint, "pools");
        await using KvpSession s = await KvpSession.StartAsync(dir.Path, [$"--Kvp:PoolDirectory={pools}"]);
        string pool = Path.Combine(pools, ".kvp_pool_0");
        Assert.True((await s.Host.SetAsync(0, "kept", "v1")).Ok);
        string filler = Path.Combine(fs.MountPoint, "filler");
        FillUp(filler);
        int refused = 0;
        for (int i = 0; i < 8; i++)
        {
            // Appending 2560 bytes needs a new block once the last one is used; the last block may still have room for one.
            refused += (await s.Host.SetAsync(0, $"new{i}", new string('x', 1000))).Ok ? 0 : 1;
            Assert.NotEmpty(PoolFiles.ReadWhole(pool));
        }
        Assert.True(refused > 0, "no SET failed on a full filesystem");
        Assert.Equal("v1", (await s.Host.GetAsync(0, "kept")).Value);
        File.Delete(filler);
        Assert.True((await s.Host.SetAsync(0, "after", "space")).Ok);
        List<(string Key, string Value)> records = PoolFiles.ReadWhole(pool);
        Assert.Equal(("kept", "v1"), records[0]);
        Assert.Equal(("after", "space"), records[^1]);
        Assert.All(records[1..^1], r => Assert.Equal(new string('x', 1000), r.Value));
    }

    /// <summary>Writes <paramref name="path"/> until the filesystem has no block left.</summary>
    internal static void FillUp(string path)
    {
        byte[] chunk = new byte[64 * 1024];
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                f.Write(chunk);
            }
        }
        catch (IOException)
        {
        }
        try
        {
            for (int i = 0; i < 64; i++)
            {
                f.Write(chunk.AsSpan(0, 512)); // fill the tail of the last partial chunk too
            }
        }
        catch (IOException)
        {
        }
    }
}
