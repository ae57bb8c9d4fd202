using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Core.Interop;
using HvUtils.Fcopy.Copy;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Fcopy.Tests;

/// <summary>
/// Writes are gathered into one buffer and written per contiguous run (issue 6 point 6): the
/// file must still hold exactly what the host sent, in the order it sent it, and a write that
/// fails late must still fail the copy and leave nothing behind.
/// </summary>
public sealed class CoalescingTests : IDisposable
{
    private readonly TempDirectory _tmp = new("hvutils-fcopy-coalesce-");

    public void Dispose() => _tmp.Dispose();

    private FcopyChannel Channel() =>
        new(Options.Create(new FcopyOptions()), Options.Create(new RuntimeOptions { Directory = _tmp.Combine("run") }));

    private static uint Send(FcopyChannel c, byte[] message)
    {
        byte[] reply = new byte[4];
        c.Handle(message, reply);
        return BinaryPrimitives.ReadUInt32LittleEndian(reply);
    }

    [Fact]
    public void Out_of_order_overlapping_and_sparse_fragments_give_the_bytes_a_direct_write_would()
    {
        // Offsets that jump forward, back, overlap (the later bytes win), leave holes, and runs
        // that cross the 1 MiB buffer boundary with fragment sizes that do not divide it.
        var rng = new Random(42);
        var writes = new List<(long Offset, byte[] Data)>();
        long at = 0;
        for (int i = 0; i < 400; i++)
        {
            writes.Add((at, Msg.Random(6144 - (i % 7 == 0 ? 1000 : 0), i)));
            at += writes[^1].Data.Length;
        }
        writes.Add((3 * 6144 + 5, Msg.Random(6144, 1000)));      // backwards, overlapping
        writes.Add((5L << 20, Msg.Random(4000, 1001)));          // far ahead: a hole
        writes.Add((1 << 20, Msg.Random(6144, 1002)));           // straddles the first buffer's end
        writes.Add((100, Msg.Random(1, 1003)));                  // a single byte inside
        for (int i = 0; i < 50; i++)
        {
            writes.Add((rng.NextInt64(0, 6L << 20), Msg.Random(rng.Next(0, 6145), 2000 + i)));
        }
        byte[] expected = new byte[writes.Max(w => w.Offset + w.Data.Length)];
        foreach ((long offset, byte[] data) in writes)
        {
            data.CopyTo(expected, offset);
        }

        var c = Channel();
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("mixed.bin", _tmp.Path, 0)));
        foreach ((long offset, byte[] data) in writes)
        {
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write((ulong)offset, data)));
        }
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Op(2)));
        Assert.Equal(expected, File.ReadAllBytes(_tmp.Combine("mixed.bin")));
    }

    [Fact]
    public void Contiguous_fragments_reach_the_file_only_when_the_buffer_is_full()
    {
        string path = _tmp.Combine("direct.bin");
        int fd = Native.Open(path, Native.O_RDWR | Native.O_CREAT | Native.O_CLOEXEC, 0x180);
        Assert.True(fd >= 0);
        using var writer = new CoalescingWriter();
        try
        {
            writer.Begin(fd, 0);
            byte[] data = Msg.Random(3 * CoalescingWriter.MaxCapacity, 7);
            int sent = 0;
            // Just short of one buffer: nothing is in the file yet.
            while (sent + 6144 < CoalescingWriter.MaxCapacity)
            {
                Assert.Equal(0, writer.Write(data.AsSpan(sent, 6144), sent));
                sent += 6144;
            }
            Assert.Equal(0, new FileInfo(path).Length);
            Assert.Equal(sent, writer.Pending);
            // The fragment that fills the buffer writes exactly 1 MiB; its tail stays buffered.
            Assert.Equal(0, writer.Write(data.AsSpan(sent, 6144), sent));
            sent += 6144;
            Assert.Equal(CoalescingWriter.MaxCapacity, new FileInfo(path).Length);
            Assert.Equal(CoalescingWriter.MaxCapacity, writer.TakeWritten());
            Assert.Equal(sent - CoalescingWriter.MaxCapacity, writer.Pending);
            while (sent < data.Length)
            {
                int n = Math.Min(6144, data.Length - sent);
                Assert.Equal(0, writer.Write(data.AsSpan(sent, n), sent));
                sent += n;
            }
            Assert.Equal(0, writer.Flush());
            Assert.Equal(data, File.ReadAllBytes(path));
        }
        finally
        {
            Native.Close(fd);
        }
    }

    [RootFact]
    public void A_write_that_fails_at_a_later_flush_answers_disk_full_on_that_message_and_leaves_no_file()
    {
        string mnt = MountTmpfs("small", "1m");
        try
        {
            var c = Channel();
            // No size announced: fragments are buffered (1 MiB) and acknowledged before they are written.
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("big", mnt, 0)));
            byte[] data = Msg.Random(6144, 1);
            uint status = HvStatus.S_OK;
            int sent = 0;
            for (; sent < 4 << 20 && status == HvStatus.S_OK; sent += 6144)
            {
                status = Send(c, Msg.Write((ulong)sent, data));
            }
            Assert.Equal(HvStatus.ERROR_DISK_FULL, status);
            Assert.True(sent > 1 << 20, $"failed after {sent} bytes, before the filesystem could be full");
            Assert.Empty(Directory.GetFileSystemEntries(mnt));
            Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Write((ulong)sent, data))); // the copy is over
            Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Op(2)));
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mnt], check: false);
        }
    }

    [RootFact]
    public void Bytes_that_fail_only_at_complete_answer_disk_full_and_nothing_is_linked()
    {
        string mnt = MountTmpfs("tiny", "256k");
        try
        {
            var c = Channel();
            byte[] data = Msg.Random(512 * 1024, 2);
            // No size announced: a 1 MiB buffer, so all 512 KiB wait for COMPLETE.
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("late", mnt, 0)));
            for (int off = 0; off < data.Length; off += 6144)
            {
                // All of it fits the buffer: every WRITE is acknowledged.
                Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write((ulong)off, data.AsSpan(off, Math.Min(6144, data.Length - off)))));
            }
            Assert.Equal(HvStatus.ERROR_DISK_FULL, Send(c, Msg.Op(2)));
            Assert.Empty(Directory.GetFileSystemEntries(mnt));
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("late", mnt, 0, 2)));
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(0, [1, 2])));
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Op(2)));
            Assert.Equal([1, 2], File.ReadAllBytes(Path.Combine(mnt, "late")));
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mnt], check: false);
        }
    }

    [Fact]
    public void A_cancel_drops_buffered_bytes_and_the_next_copy_starts_clean()
    {
        var c = Channel();
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("c.bin", _tmp.Path, 0)));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(0, Msg.Random(6144, 3))));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Op(3)));
        Assert.False(File.Exists(_tmp.Combine("c.bin")));
        byte[] data = Msg.Random(100, 4);
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("c.bin", _tmp.Path, 0)));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(6144, data)));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Op(2)));
        Assert.Equal([.. new byte[6144], .. data], File.ReadAllBytes(_tmp.Combine("c.bin")));
    }

    private string MountTmpfs(string name, string size)
    {
        string mnt = _tmp.Combine(name);
        Directory.CreateDirectory(mnt);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", mnt);
        return mnt;
    }
}
