using System.Text;

namespace HvUtils.Kvp.Tests;

/// <summary>Pool files as the C daemon, cloud-init and damaged writers leave them (spec/kvp.md §5; issue 3 point 2).</summary>
public sealed class KvpPoolFileTests
{
    private const uint SCont = 0x80070103;

    [Fact]
    public void Reads_C_daemon_records_with_stale_bytes_after_the_nul()
    {
        using var rig = new ChannelRig();
        byte[] record = Msg.Record("K1", "V1");
        "K1\0garbage"u8.CopyTo(record);
        "V1\0stale tail of an older value"u8.CopyTo(record.AsSpan(512));
        File.WriteAllBytes(rig.PoolFile(1), [.. record, .. Msg.Record("K2", "V2")]);
        byte[] reply = rig.Send(Msg.Enumerate(1, 0));
        Assert.Equal("K1", Msg.CString(reply.AsSpan(20)));
        Assert.Equal("V1", Msg.CString(reply.AsSpan(532)));
        Assert.Equal(new byte[512 - 3], reply[(20 + 3)..532]);
        Assert.Equal("V2", Msg.CString(rig.Send(Msg.Get(1, "K2")).AsSpan(532)));
    }

    [Fact]
    public void Writes_records_byte_for_byte_like_the_C_daemon_and_python_reads_them()
    {
        using var rig = new ChannelRig();
        rig.Send(Msg.Set(0, "Alpha", "one"));
        rig.Send(Msg.Set(0, "Beta", "zwei \u00fc"));
        Assert.Equal([.. Msg.Record("Alpha", "one"), .. Msg.Record("Beta", "zwei \u00fc")], File.ReadAllBytes(rig.PoolFile(0)));
        // cloud-init's reader: struct.unpack of 512s2048s records, strings cut at the NUL.
        string read = ExternalWriter.Python("""
import struct, sys
data = open(sys.argv[1], "rb").read()
for i in range(0, len(data) - len(data) % 2560, 2560):
    k, v = struct.unpack("512s2048s", data[i:i + 2560])
    print(k.split(b"\0", 1)[0].decode() + "=" + v.split(b"\0", 1)[0].decode())
""", rig.PoolFile(0));
        Assert.Equal("Alpha=one\nBeta=zwei \u00fc\n", read);
    }

    [Fact]
    public void Cloud_init_appends_are_seen_and_kept()
    {
        using var rig = new ChannelRig();
        rig.Send(Msg.Set(1, "daemon", "first"));
        ExternalWriter.Python(ExternalWriter.CloudInitAppend, rig.PoolFile(1), "CLOUD_INIT|config|start", "{\"msg\":\"x\"}");
        rig.Send(Msg.Set(1, "daemon", "second"));
        ExternalWriter.Python(ExternalWriter.CloudInitAppend, rig.PoolFile(1), "CLOUD_INIT|config|end", "ok");
        Assert.Equal([.. Msg.Record("daemon", "second"), .. Msg.Record("CLOUD_INIT|config|start", "{\"msg\":\"x\"}"), .. Msg.Record("CLOUD_INIT|config|end", "ok")],
            File.ReadAllBytes(rig.PoolFile(1)));
        Assert.Equal("ok", Msg.CString(rig.Send(Msg.Enumerate(1, 2)).AsSpan(532)));
    }

    [Fact]
    public void Duplicate_keys_collapse_to_the_first_and_delete_removes_every_copy()
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), [.. Msg.Record("A", "1"), .. Msg.Record("B", "2"), .. Msg.Record("A", "3")]);
        Assert.Equal("1", Msg.CString(rig.Send(Msg.Get(1, "A")).AsSpan(532)));
        Assert.Equal("B", Msg.CString(rig.Send(Msg.Enumerate(1, 1)).AsSpan(20)));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, 2))));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(1, "A"))));
        Assert.Equal(Msg.Record("B", "2"), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void A_delete_interrupted_before_its_truncate_reads_as_if_it_had_finished()
    {
        using var rig = new ChannelRig();
        // Deleting B from [A][B][C]: C moved into B's slot, then the crash — the truncate never ran.
        File.WriteAllBytes(rig.PoolFile(1), [.. Msg.Record("A", "1"), .. Msg.Record("C", "3"), .. Msg.Record("C", "3")]);
        Assert.Equal("C", Msg.CString(rig.Send(Msg.Enumerate(1, 1)).AsSpan(20)));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, 2))));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(1, "C"))));
        Assert.Equal(Msg.Record("A", "1"), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Delete_moves_the_last_record_into_the_hole_and_truncates()
    {
        using var rig = new ChannelRig();
        foreach (string k in new[] { "A", "B", "C", "D" })
        {
            rig.Send(Msg.Set(1, k, k.ToLowerInvariant()));
        }
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(1, "B"))));
        Assert.Equal([.. Msg.Record("A", "a"), .. Msg.Record("D", "d"), .. Msg.Record("C", "c")], File.ReadAllBytes(rig.PoolFile(1)));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(1, "C"))));
        Assert.Equal([.. Msg.Record("A", "a"), .. Msg.Record("D", "d")], File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void A_partial_last_record_is_never_truncated()
    {
        using var rig = new ChannelRig();
        byte[] partial = Encoding.ASCII.GetBytes("half-written-record");
        File.WriteAllBytes(rig.PoolFile(1), [.. Msg.Record("A", "1"), .. partial]);
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, 1))));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "A", "updated"))));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "New", "n"))));
        Assert.Equal([.. Msg.Record("A", "updated"), .. Msg.Record("New", "n"), .. partial], File.ReadAllBytes(rig.PoolFile(1)));
        // A delete would have to move the partial bytes; it is refused and changes nothing.
        byte[] before = File.ReadAllBytes(rig.PoolFile(1));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Delete(1, "A"))));
        Assert.Equal(before, File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_reach_the_host_as_valid_utf8()
    {
        using var rig = new ChannelRig();
        byte[] record = new byte[2560];
        new byte[] { (byte)'b', (byte)'a', (byte)'d', 0xFF }.CopyTo(record, 0);
        new byte[] { 0xC3, (byte)'(' }.CopyTo(record, 512);
        File.WriteAllBytes(rig.PoolFile(1), record);
        byte[] reply = rig.Send(Msg.Enumerate(1, 0));
        Assert.Equal(0u, Msg.Status(reply));
        Assert.Equal("bad?", Msg.CString(reply.AsSpan(20)));
        Assert.Equal("?(", Msg.CString(reply.AsSpan(532)));
        Assert.Equal(record, File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void A_file_truncated_and_refilled_by_another_process_is_reread()
    {
        using var rig = new ChannelRig();
        rig.Send(Msg.Set(1, "A", "1"));
        rig.Send(Msg.Set(1, "B", "2"));
        File.WriteAllBytes(rig.PoolFile(1), []);
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, 0))));
        ExternalWriter.Python(ExternalWriter.CloudInitAppend, rig.PoolFile(1), "fresh", "boot");
        Assert.Equal("fresh", Msg.CString(rig.Send(Msg.Enumerate(1, 0)).AsSpan(20)));
    }

    [Fact]
    public void An_in_place_change_right_after_our_own_write_is_seen()
    {
        using var rig = new ChannelRig();
        for (int i = 0; i < 20; i++)
        {
            string mine = $"daemon-{i}";
            Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "K", mine))));
            // Same size, same slot, within the same coarse mtime tick as our write.
            ExternalWriter.Python(ExternalWriter.FcntlOverwriteValue, rig.PoolFile(1), "0", $"external-{i}");
            Assert.Equal($"external-{i}", Msg.CString(rig.Send(Msg.Get(1, "K")).AsSpan(532)));
        }
    }

    [Fact]
    public void An_in_place_change_right_after_a_read_is_seen()
    {
        using var rig = new ChannelRig();
        File.WriteAllBytes(rig.PoolFile(1), Msg.Record("K", "v0"));
        for (int i = 1; i < 20; i++)
        {
            Assert.Equal($"v{i - 1}", Msg.CString(rig.Send(Msg.Get(1, "K")).AsSpan(532)));
            ExternalWriter.Python(ExternalWriter.FcntlOverwriteValue, rig.PoolFile(1), "0", $"v{i}");
        }
    }

    [Fact]
    public void A_large_file_written_at_once_is_served_and_changes_after_every_kind_of_our_write_are_seen()
    {
        // 500 records = 1.28 MB in one write: past RecacheBytes, so the re-read writes the file
        // back and drops its cache first; and after each SET/append/DELETE the stamp we predict
        // must still let a same-size in-place change by another writer through.
        using var rig = new ChannelRig();
        const int records = 500;
        byte[][] file = [.. Enumerable.Range(0, records).Select(i => Msg.Record($"K{i}", $"v{i}"))];
        File.WriteAllBytes(rig.PoolFile(1), [.. file.SelectMany(r => r)]);
        Assert.Equal("v321", Msg.CString(rig.Send(Msg.Get(1, "K321")).AsSpan(532)));

        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "K7", "mine"))));
        ExternalWriter.Python(ExternalWriter.FcntlOverwriteValue, rig.PoolFile(1), "8", "theirs-8");
        Assert.Equal("theirs-8", Msg.CString(rig.Send(Msg.Get(1, "K8")).AsSpan(532)));

        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "new", "appended"))));
        ExternalWriter.Python(ExternalWriter.FcntlOverwriteValue, rig.PoolFile(1), "9", "theirs-9");
        Assert.Equal("theirs-9", Msg.CString(rig.Send(Msg.Get(1, "K9")).AsSpan(532)));

        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(1, "K0"))));
        ExternalWriter.Python(ExternalWriter.FcntlOverwriteValue, rig.PoolFile(1), "10", "theirs-10");
        Assert.Equal("theirs-10", Msg.CString(rig.Send(Msg.Get(1, "K10")).AsSpan(532)));

        file[7] = Msg.Record("K7", "mine");
        file[8] = Msg.Record("K8", "theirs-8");
        file[9] = Msg.Record("K9", "theirs-9");
        file[10] = Msg.Record("K10", "theirs-10");
        file[0] = Msg.Record("new", "appended");
        Assert.Equal(file.SelectMany(r => r).ToArray(), File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void A_file_replaced_by_rename_is_followed()
    {
        using var rig = new ChannelRig();
        rig.Send(Msg.Set(1, "old", "1"));
        string tmp = rig.PoolFile(1) + ".new";
        File.WriteAllBytes(tmp, Msg.Record("new", "2"));
        File.Move(tmp, rig.PoolFile(1), overwrite: true);
        Assert.Equal("new", Msg.CString(rig.Send(Msg.Enumerate(1, 0)).AsSpan(20)));
        rig.Send(Msg.Set(1, "added", "3"));
        Assert.Equal([.. Msg.Record("new", "2"), .. Msg.Record("added", "3")], File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Max_records_per_pool_refuses_new_keys_and_changes_nothing()
    {
        using var rig = new ChannelRig(maxRecords: 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, $"k{i}", "v"))));
        }
        byte[] before = File.ReadAllBytes(rig.PoolFile(1));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Set(1, "k3", "v"))));
        Assert.Equal(before, File.ReadAllBytes(rig.PoolFile(1)));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(1, "k1", "changed"))));
    }

    [Fact]
    public void A_file_beyond_the_limit_is_read_up_to_it_and_never_appended_over()
    {
        using var rig = new ChannelRig(maxRecords: 2);
        byte[] content = [.. Msg.Record("a", "1"), .. Msg.Record("b", "2"), .. Msg.Record("c", "3")];
        File.WriteAllBytes(rig.PoolFile(1), content);
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Enumerate(1, 2))));
        Assert.Equal(SCont, Msg.Status(rig.Send(Msg.Set(1, "d", "4"))));
        Assert.Equal(content, File.ReadAllBytes(rig.PoolFile(1)));
    }

    [Fact]
    public void Pool_2_file_takes_host_set_get_delete_while_enumerate_uses_the_auto_table()
    {
        using var rig = new ChannelRig();
        Assert.True(File.Exists(rig.PoolFile(2)));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Set(2, "Custom", "x"))));
        Assert.Equal(Msg.Record("Custom", "x"), File.ReadAllBytes(rig.PoolFile(2)));
        Assert.Equal("x", Msg.CString(rig.Send(Msg.Get(2, "Custom")).AsSpan(532)));
        Assert.Equal("FullyQualifiedDomainName", Msg.CString(rig.Send(Msg.Enumerate(2, 0)).AsSpan(20)));
        Assert.Equal(0u, Msg.Status(rig.Send(Msg.Delete(2, "Custom"))));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Pool_files_are_created_0644_in_a_0755_directory()
    {
        using var rig = new ChannelRig();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(rig.PoolFile(0)));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(rig.Pools.Directory));
        for (int p = 0; p < 5; p++)
        {
            Assert.Equal(0, new FileInfo(rig.PoolFile(p)).Length);
        }
    }
}
