using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Testing;
using Microsoft.Extensions.Options;

namespace HvUtils.Fcopy.Tests;

/// <summary>The copy logic through the channel's Handle, on real files in temp directories.</summary>
public sealed class ChannelTests : IDisposable
{
    private readonly TempDirectory _tmp = new("hvutils-fcopy-test-");

    public void Dispose() => _tmp.Dispose();

    private FcopyChannel Channel(string[]? roots = null, string mode = "0644") =>
        new(Options.Create(new FcopyOptions { AllowedRoots = roots ?? [], FileMode = mode }),
            Options.Create(new RuntimeOptions { Directory = _tmp.Combine("run") }));

    private static uint Send(FcopyChannel c, byte[] message)
    {
        byte[] reply = new byte[4];
        HandledMessage h = c.Handle(message, reply);
        Assert.Equal(4, h.ReplyLength);
        return BinaryPrimitives.ReadUInt32LittleEndian(reply);
    }

    private static uint Copy(FcopyChannel c, string dir, string name, byte[] data, uint flags, bool announce = true)
    {
        uint s = Send(c, Msg.Start(name, dir, flags, announce ? (ulong)data.Length : 0));
        if (s != 0)
        {
            return s;
        }
        for (int off = 0; off < data.Length; off += 6144)
        {
            s = Send(c, Msg.Write((ulong)off, data.AsSpan(off, Math.Min(6144, data.Length - off))));
            if (s != 0)
            {
                return s;
            }
        }
        return Send(c, Msg.Op(2));
    }

    private static string[] Visible(string dir) => [.. Entries(dir).Where(e => e != "run")];

    private static string[] Entries(string dir) => Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order().ToArray()!;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6143)]
    [InlineData(6144)]
    [InlineData(6145)]
    [InlineData(200_000)]
    public void Copies_are_byte_exact_and_get_the_configured_mode(int size)
    {
        var c = Channel(mode: "0640");
        byte[] data = Msg.Random(size, size);
        Assert.Equal(HvStatus.S_OK, Copy(c, _tmp.Path, "f.bin", data, 0));
        Assert.Equal(data, File.ReadAllBytes(_tmp.Combine("f.bin")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_tmp.Combine("f.bin")));
    }

    [Theory]
    [InlineData(0u, false, true)]  // no flags, new file in an existing dir
    [InlineData(0u, true, false)]   // existing file, no OVER_WRITE → ALREADY_EXISTS, untouched
    [InlineData(1u, true, true)]    // OVER_WRITE replaces
    [InlineData(2u, true, false)]   // CREATE_PATH alone still refuses to replace
    [InlineData(3u, true, true)]
    [InlineData(3u, false, true)]
    public void Every_flag_combination_on_existing_and_new_files(uint flags, bool exists, bool replaced)
    {
        var c = Channel();
        string target = _tmp.Combine("t.txt");
        if (exists)
        {
            File.WriteAllText(target, "old");
        }
        uint status = Copy(c, _tmp.Path, "t.txt", "new"u8.ToArray(), flags);
        Assert.Equal(replaced ? HvStatus.S_OK : HvStatus.ERROR_ALREADY_EXISTS, status);
        Assert.Equal(replaced ? "new" : "old", File.ReadAllText(target));
        Assert.Equal(["t.txt"], Visible(_tmp.Path)); // no temp file left beside it
        Assert.False(File.Exists(_tmp.Combine("run", "fcopy", "fcopy-temp"))); // nor a stale record
    }

    [Fact]
    public void Create_path_creates_every_component_including_the_last()
    {
        var c = Channel();
        string dir = _tmp.Combine("a", "b", "new"); // no trailing '/': the C daemons fail here
        Assert.Equal(HvStatus.E_FAIL, Copy(c, dir, "x", [1], 0));
        Assert.False(Directory.Exists(_tmp.Combine("a")));
        Assert.Equal(HvStatus.S_OK, Copy(c, dir, "x", [1], FcopyWire_CreatePath));
        Assert.Equal([1], File.ReadAllBytes(Path.Combine(dir, "x")));
    }

    private const uint FcopyWire_CreatePath = 2;

    [Fact]
    public void Non_ascii_names_arrive_intact()
    {
        var c = Channel();
        string dir = _tmp.Combine("Ordner ü");
        Assert.Equal(HvStatus.S_OK, Copy(c, dir, "données-日本-😀.txt", [7, 7], FcopyWire_CreatePath));
        Assert.Equal([7, 7], File.ReadAllBytes(Path.Combine(dir, "données-日本-😀.txt")));
    }

    [Theory]
    [InlineData("../escape.txt", "")]
    [InlineData("a/b.txt", "")]
    [InlineData("..", "")]
    [InlineData(".", "")]
    [InlineData("", "")]
    [InlineData("ok.txt", "/../")]
    [InlineData("ok.txt", "relative/dir")]
    public void Traversal_and_bad_names_are_rejected(string name, string dirSuffix)
    {
        var c = Channel();
        string dir = dirSuffix.StartsWith('/') ? _tmp.Path + "/sub" + dirSuffix : dirSuffix.Length > 0 ? dirSuffix : _tmp.Combine("sub");
        Directory.CreateDirectory(_tmp.Combine("sub"));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start(name, dir, 3)));
        Assert.Equal(["run", "sub"], Entries(_tmp.Path).Where(e => e != "run").Append("run").Order().ToArray());
        Assert.Empty(Directory.GetFileSystemEntries(_tmp.Combine("sub")));
    }

    [Fact]
    public void Symlinks_in_the_path_or_as_the_target_are_never_followed()
    {
        var c = Channel();
        string outside = _tmp.Combine("outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(_tmp.Combine("in"));
        File.CreateSymbolicLink(_tmp.Combine("in", "link"), outside);
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("x", _tmp.Combine("in", "link"), 3)));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("x", _tmp.Combine("in", "link", "deeper"), 3)));
        // A symlink at the target name: without OVER_WRITE it "exists"; with it, the link itself is replaced.
        File.WriteAllText(Path.Combine(outside, "victim"), "keep");
        File.CreateSymbolicLink(_tmp.Combine("in", "t"), Path.Combine(outside, "victim"));
        Assert.Equal(HvStatus.ERROR_ALREADY_EXISTS, Copy(c, _tmp.Combine("in"), "t", [1], 0));
        Assert.Equal(HvStatus.S_OK, Copy(c, _tmp.Combine("in"), "t", [1], 1));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "victim")));
        Assert.Null(new FileInfo(_tmp.Combine("in", "t")).LinkTarget);
        Assert.Equal(["victim"], Visible(outside));
    }

    [Fact]
    public void Allowed_roots_are_resolved_once_and_confine_the_target()
    {
        string real = _tmp.Combine("real");
        Directory.CreateDirectory(real);
        File.CreateSymbolicLink(_tmp.Combine("alias"), real); // the configured root may itself be a symlink
        var c = Channel([_tmp.Combine("alias")]);
        Assert.Equal(HvStatus.S_OK, Copy(c, Path.Combine(real, "d"), "ok", [1], FcopyWire_CreatePath));
        Assert.True(File.Exists(Path.Combine(real, "d", "ok")));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("no", _tmp.Combine("elsewhere"), 3)));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("no", _tmp.Combine("alias"), 3))); // not canonical: outside the root
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("no", real + "x", 3))); // a prefix is not a parent
        Assert.False(Directory.Exists(_tmp.Combine("elsewhere")));
    }

    [Fact]
    public void Nothing_is_visible_before_complete_and_cancel_leaves_nothing()
    {
        var c = Channel();
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("p", _tmp.Path, 0, 12288)));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(0, Msg.Random(6144, 1))));
        Assert.DoesNotContain("p", Entries(_tmp.Path));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Op(3, 36))); // the 36-byte faked CANCEL of hibernation
        Assert.Equal([], Visible(_tmp.Path));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Write(6144, Msg.Random(10, 1)))); // no copy any more
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Op(2)));
    }

    [Fact]
    public void A_second_start_abandons_the_first_copy_without_leaking_its_descriptor()
    {
        var c = Channel();
        int fds = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("first", _tmp.Path, 0)));
            Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(0, [1, 2, 3])));
        }
        Assert.Equal(HvStatus.S_OK, Copy(c, _tmp.Path, "second", [9], 0));
        c.OnConnectionReset();
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, fds + 2);
        Assert.Equal(["second"], Entries(_tmp.Path).Where(e => e != "run").ToArray());
    }

    [Theory]
    [InlineData(6145u, 6196, 0ul, 0ul)]    // size > DATA_FRAGMENT
    [InlineData(65536u, 6196, 0ul, 0ul)]   // the C daemon copies stack memory here
    [InlineData(200u, 100, 0ul, 0ul)]      // size beyond the received message
    [InlineData(100u, 6196, 6100ul, 6144ul)] // offset + size beyond the announced file_size
    public void Write_bounds_are_checked_and_a_bad_write_abandons_the_copy(uint size, int length, ulong offset, ulong fileSize)
    {
        var c = Channel();
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("w", _tmp.Path, 0, fileSize)));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Write(offset, new byte[Math.Min(100, length - 52)], size, length)));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Op(2)));
        Assert.Equal([], Visible(_tmp.Path));
    }

    [Fact]
    public void Short_and_unknown_messages_fail_without_state_change()
    {
        var c = Channel();
        Assert.Equal(HvStatus.E_FAIL, Send(c, new byte[35]));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Op(9)));
        Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Start("x", _tmp.Path, 0)[..1000]));
    }

    [Fact]
    public void Without_o_tmpfile_a_recorded_named_temp_is_used_and_swept_after_a_crash()
    {
        var settings = new Copy.FcopySettings([[]], 0x1A4, -1, -1, _tmp.Combine("run", "fcopy")) { UseTmpFile = false };
        var session = new Copy.FcopySession(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(HvStatus.S_OK, session.Start(Msg.Start("n", _tmp.Path, 0)));
        Assert.True(session.UsesNamedTemp);
        string temp = Assert.Single(Entries(_tmp.Path), e => e.StartsWith(".hvutils-fcopy."));
        Assert.Contains(temp, File.ReadAllText(_tmp.Combine("run", "fcopy", "fcopy-temp")));
        // "Crash": the session is dropped without cleanup; the next daemon start sweeps the temp file.
        _ = Channel();
        Assert.DoesNotContain(Entries(_tmp.Path), e => e.StartsWith(".hvutils-fcopy."));
        Assert.False(File.Exists(_tmp.Combine("run", "fcopy", "fcopy-temp")));

        var s2 = new Copy.FcopySession(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        File.WriteAllText(_tmp.Combine("n"), "old");
        Assert.Equal(HvStatus.S_OK, s2.Start(Msg.Start("n", _tmp.Path, 1)));
        Assert.Equal(HvStatus.S_OK, s2.Write(Msg.Write(0, "new"u8)));
        Assert.Equal(HvStatus.S_OK, s2.Complete());
        Assert.Equal("new", File.ReadAllText(_tmp.Combine("n")));
        File.Delete(_tmp.Combine("n"));
        Assert.Equal(HvStatus.S_OK, s2.Start(Msg.Start("n", _tmp.Path, 0)));
        Assert.Equal(HvStatus.S_OK, s2.Write(Msg.Write(0, "x"u8)));
        File.WriteAllText(_tmp.Combine("n"), "raced"); // appeared after START: RENAME_NOREPLACE refuses
        Assert.Equal(HvStatus.ERROR_ALREADY_EXISTS, s2.Complete());
        Assert.Equal("raced", File.ReadAllText(_tmp.Combine("n")));
        Assert.Equal(["n", "run"], Entries(_tmp.Path));
    }

    [Fact]
    public void A_file_created_during_the_copy_is_not_replaced_without_overwrite()
    {
        var c = Channel();
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Start("race", _tmp.Path, 0)));
        Assert.Equal(HvStatus.S_OK, Send(c, Msg.Write(0, "mine"u8)));
        File.WriteAllText(_tmp.Combine("race"), "theirs");
        Assert.Equal(HvStatus.ERROR_ALREADY_EXISTS, Send(c, Msg.Op(2)));
        Assert.Equal("theirs", File.ReadAllText(_tmp.Combine("race")));
    }

    [RootFact]
    public void A_full_filesystem_answers_disk_full_and_leaves_no_file()
    {
        string mnt = _tmp.Combine("small");
        Directory.CreateDirectory(mnt);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt);
        try
        {
            var c = Channel();
            byte[] data = Msg.Random(2 * 1024 * 1024, 3);
            Assert.Equal(HvStatus.ERROR_DISK_FULL, Copy(c, mnt, "big", data, 0));
            Assert.Empty(Directory.GetFileSystemEntries(mnt));
            Assert.Equal(HvStatus.E_FAIL, Send(c, Msg.Op(2)));
            Assert.Equal(HvStatus.S_OK, Copy(c, mnt, "small", [1, 2], 0)); // the space came back
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mnt], check: false);
        }
    }
}
