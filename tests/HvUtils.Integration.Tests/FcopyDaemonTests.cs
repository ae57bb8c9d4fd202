using System.Buffers.Binary;
using System.Security.Cryptography;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Fcopy;
using HvUtils.Fcopy.Uio;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>The real hvutilsd copying files from the simulated host over both transports (issue 6 point 5).</summary>
public sealed class FcopyDaemonTests : IDisposable
{
    private readonly TempDirectory _tmp = new("hvutils-fcopy-it-");

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Transports => new() { "legacy", "uio" };

    private static async Task<FcopyResult> CopyBytesAsync(FcopySimSession s, byte[] data, string dir, string name, uint flags)
    {
        using var ms = new MemoryStream(data);
        return await FcopyHost.CopyAsync(s.Link, ms, data.Length, dir, name, flags);
    }

    private static string[] Entries(string dir) => [.. Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order()!];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Copies_of_edge_sizes_are_byte_exact(string transport)
    {
        await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
        foreach (int size in new[] { 0, 1, 6143, 6144, 6145 })
        {
            byte[] data = RandomNumberGenerator.GetBytes(size);
            FcopyResult r = await CopyBytesAsync(s, data, _tmp.Path, $"f{size}", 0);
            Assert.True(r.Succeeded, r.ToString());
            Assert.Equal(data, await File.ReadAllBytesAsync(_tmp.Combine($"f{size}")));
        }
        Assert.Equal(["f0", "f1", "f6143", "f6144", "f6145"], Entries(_tmp.Path));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_100_MB_file_arrives_byte_exact(string transport)
    {
        string src = _tmp.Combine("src.bin");
        await using (var f = File.Create(src))
        {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 100; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                await f.WriteAsync(chunk);
            }
        }
        await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
        FcopyResult r = await FcopyHost.CopyFileAsync(s.Link, src, _tmp.Combine("out"), "big.bin", FcopyWire.CreatePath);
        Assert.True(r.Succeeded, r.ToString());
        await using var a = File.OpenRead(src);
        await using var b = File.OpenRead(_tmp.Combine("out", "big.bin"));
        Assert.Equal(await SHA256.HashDataAsync(a), await SHA256.HashDataAsync(b));
        Assert.Equal(100L << 20, b.Length);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Flags_names_and_confinement_behave_on_both_transports(string transport)
    {
        await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
        string dir = _tmp.Combine("neu", "tief"); // missing, last component included
        Assert.Equal(HvStatus.E_FAIL, (await CopyBytesAsync(s, [1], dir, "a", 0)).Status);
        Assert.True((await CopyBytesAsync(s, [1], dir, "a", FcopyWire.CreatePath)).Succeeded);
        Assert.Equal(HvStatus.ERROR_ALREADY_EXISTS, (await CopyBytesAsync(s, [2], dir, "a", FcopyWire.CreatePath)).Status);
        Assert.Equal([1], await File.ReadAllBytesAsync(Path.Combine(dir, "a")));
        Assert.True((await CopyBytesAsync(s, [3], dir, "a", FcopyWire.OverWrite)).Succeeded);
        Assert.Equal([3], await File.ReadAllBytesAsync(Path.Combine(dir, "a")));
        Assert.True((await CopyBytesAsync(s, [4], dir, "a", FcopyWire.OverWrite | FcopyWire.CreatePath)).Succeeded);
        Assert.Equal([4], await File.ReadAllBytesAsync(Path.Combine(dir, "a")));

        Assert.True((await CopyBytesAsync(s, [5], dir, "Grüße-日本-😀.txt", 0)).Succeeded);
        Assert.Equal([5], await File.ReadAllBytesAsync(Path.Combine(dir, "Grüße-日本-😀.txt")));

        Assert.Equal(HvStatus.E_FAIL, (await CopyBytesAsync(s, [6], dir, "../escape.txt", 0)).Status);
        Assert.Equal(HvStatus.E_FAIL, (await CopyBytesAsync(s, [6], dir + "/../..", "escape.txt", 0)).Status);
        File.CreateSymbolicLink(_tmp.Combine("link"), "/etc");
        Assert.Equal(HvStatus.E_FAIL, (await CopyBytesAsync(s, [6], _tmp.Combine("link"), "escape.txt", 0)).Status);
        Assert.False(File.Exists(_tmp.Combine("escape.txt")));
        Assert.False(File.Exists("/etc/escape.txt"));
        Assert.Equal(["Grüße-日本-😀.txt", "a"], Entries(dir));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Cancel_mid_copy_and_sigkill_mid_copy_leave_nothing(string transport)
    {
        await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
        Assert.Equal(0u, await s.Link.SendAsync(s.Link.Start("part", _tmp.Path, 0, 100_000)));
        Assert.Equal(0u, await s.Link.SendAsync(FcopyMessages.Write(0, RandomNumberGenerator.GetBytes(6144))));
        Assert.Equal(0u, await s.Link.SendAsync(FcopyMessages.Header(FcopyWire.CancelFcopy)));
        Assert.Empty(Entries(_tmp.Path));

        Assert.Equal(0u, await s.Link.SendAsync(s.Link.Start("part", _tmp.Path, 0, 100_000)));
        Assert.Equal(0u, await s.Link.SendAsync(FcopyMessages.Write(0, RandomNumberGenerator.GetBytes(6144))));
        Assert.Equal(0, Native.Kill(s.Daemon.Pid, Native.SIGKILL));
        await s.Daemon.WaitForExitAsync();
        Assert.Empty(Entries(_tmp.Path));
    }

    [RootTheory]
    [MemberData(nameof(Transports))]
    public async Task A_full_filesystem_answers_disk_full_and_leaves_no_file(string transport)
    {
        RootRequirement.Assert();
        string mnt = _tmp.Combine("small");
        Directory.CreateDirectory(mnt);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt);
        try
        {
            await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
            FcopyResult r = await CopyBytesAsync(s, RandomNumberGenerator.GetBytes(1 << 20), mnt, "big", 0);
            Assert.Equal(HvStatus.ERROR_DISK_FULL, r.Status);
            Assert.Equal("WRITE_TO_FILE", r.Step);
            Assert.Empty(Entries(mnt));
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mnt], check: false);
        }
    }

    [Fact]
    public async Task Uio_renegotiates_after_a_reopen_and_survives_a_corrupt_ring()
    {
        await using FcopySimSession s = await FcopySimSession.StartAsync("uio");
        UioHost host = s.Uio!;
        Assert.Equal(HvStatus.S_OK, host.NegotiatedStatus);
        host.DropConnection();
        await WaitAsync(() => host.Connections == 2 && host.NegotiatedStatus == HvStatus.S_OK);
        Assert.True((await CopyBytesAsync(s, [1, 2, 3], _tmp.Path, "after-reopen", 0)).Succeeded);

        // A descriptor claiming a packet larger than the whole ring: the daemon resets the channel
        // (the upstream daemon gets stuck on it) and the host renegotiates on the reopen.
        int before = host.Connections;
        await host.InjectAsync(ring => CorruptLastDescriptor(host, ring));
        await WaitAsync(() => host.Connections > before && host.NegotiatedStatus == HvStatus.S_OK);
        Assert.True((await CopyBytesAsync(s, [4], _tmp.Path, "after-corrupt", 0)).Succeeded);
        Assert.False(s.Daemon.HasExited);
    }

    private static void CorruptLastDescriptor(UioHost host, VmbusRing ring)
    {
        uint at = ring.WriteIndex;
        Assert.True(ring.TryWrite(new byte[64], 2));
        using var f = new FileStream(host.RingPath, FileMode.Open, FileAccess.Write);
        f.Position = host.RingSize + VmbusRing.HeaderSize + at + 4;
        byte[] len8 = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len8, (ushort)(2 * host.RingSize / 8));
        f.Write(len8);
    }

    [Fact]
    public async Task Uio_refuses_unsupported_versions_and_works_with_6_16_ring_sizes()
    {
        await using FcopySimSession s = await FcopySimSession.StartAsync("uio", ringSize: 20480);
        byte[] reply = await s.Uio!.NegotiateAsync([(1, 0)], [(1, 1)]);
        Assert.Equal(HvStatus.E_FAIL, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(IcMessage.StatusOffset)));
        reply = await s.Uio.NegotiateAsync([(3, 0)], [(1, 0), (1, 1)]);
        Assert.Equal(HvStatus.S_OK, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(IcMessage.StatusOffset)));
        byte[] data = RandomNumberGenerator.GetBytes(500_000);
        Assert.True((await CopyBytesAsync(s, data, _tmp.Path, "x", 0)).Succeeded);
        Assert.Equal(data, await File.ReadAllBytesAsync(_tmp.Combine("x")));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            await Task.Delay(20);
        }
    }
}
