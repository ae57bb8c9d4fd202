using System.Security.Cryptography;
using HvUtils.Core.Channels;
using HvUtils.Fcopy;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Security;

/// <summary>
/// FCOPY cannot be steered outside <c>Fcopy:AllowedRoots</c> (issue 9 point 4): not by the
/// directory, the name, <c>..</c>, a symlinked component, a symlink at the name, a root that is
/// only a string prefix, nor by swapping a directory for a symlink while copies run.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FcopyConfinementTests : IDisposable
{
    private readonly TempDirectory _tmp = new("hvutils-confine-");

    public FcopyConfinementTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(_tmp.Combine("root-evil"));
    }

    private string Root => _tmp.Combine("root");

    private string Outside => _tmp.Combine("outside");

    public static TheoryData<string> Transports => new() { "legacy", "uio" };

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Names_dotdot_symlinks_and_prefix_roots_cannot_escape(string transport)
    {
        await using FcopySimSession s = await StartAsync(transport);
        File.CreateSymbolicLink(Path.Combine(Root, "link"), Outside);
        File.WriteAllText(Path.Combine(Outside, "victim"), "original");
        File.CreateSymbolicLink(Path.Combine(Root, "named-link"), Path.Combine(Outside, "victim"));
        (string Dir, string Name, uint Flags)[] attempts =
        [
            (Outside, "x", 0),
            (Root + "/../outside", "x", 0),
            (Root + "/sub/../../outside", "x", FcopyWire.CreatePath),
            (Root, "../outside/x", 0),
            (Root, "a/b", 0),
            (Root, "..", 0),
            (Root + "/link", "x", 0),
            (Root + "/link/deeper", "x", FcopyWire.CreatePath),
            (_tmp.Combine("root-evil"), "x", 0),
            ("outside", "x", 0),
        ];
        foreach ((string dir, string name, uint flags) in attempts)
        {
            FcopyResult r = await CopyAsync(s, dir, name, flags);
            Assert.True(r.Status == HvStatus.E_FAIL, $"{dir} / {name}: {r}");
        }

        // OVER_WRITE onto a name that is a symlink replaces the link itself, never the file it points to.
        FcopyResult over = await CopyAsync(s, Root, "named-link", FcopyWire.OverWrite);
        Assert.Equal("original", File.ReadAllText(Path.Combine(Outside, "victim")));
        if (over.Succeeded)
        {
            Assert.Null(new FileInfo(Path.Combine(Root, "named-link")).LinkTarget);
        }
        Assert.True((await CopyAsync(s, Root + "/inside/deep", "ok", FcopyWire.CreatePath)).Succeeded);
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp.Combine("root-evil")));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_directory_swapped_for_a_symlink_while_copies_run_never_lets_a_file_outside(string transport)
    {
        await using FcopySimSession s = await StartAsync(transport);
        string real = Path.Combine(Root, "real");
        string swap = Path.Combine(Root, "swap");
        Directory.CreateDirectory(real);
        using var stop = new CancellationTokenSource();
        long swaps = 0;
        Task racer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Move(real, swap);            // swap is the real directory (inside the root)
                    Directory.Move(swap, real);
                    File.CreateSymbolicLink(swap, Outside); // swap now points outside
                    Thread.Yield();
                    File.Delete(swap);
                    swaps++;
                }
                catch (IOException)
                {
                    // CREATE_PATH made swap a real directory while it was absent: fold it back into real.
                    // A copy may land in it meanwhile: then the delete fails and the next round folds again.
                    try
                    {
                        if (Directory.Exists(swap) && new DirectoryInfo(swap).LinkTarget is null)
                        {
                            foreach (string f in Directory.GetFiles(swap))
                            {
                                File.Move(f, Path.Combine(real, Path.GetFileName(f)));
                            }
                            Directory.Delete(swap);
                        }
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        });
        int landed = 0;
        int refused = 0;
        try
        {
            for (int i = 0; i < 300; i++)
            {
                FcopyResult r = await CopyAsync(s, swap, $"f{i}", i % 2 == 0 ? 0 : FcopyWire.CreatePath);
                if (r.Succeeded)
                {
                    landed++;
                }
                else
                {
                    refused++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            await racer.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.True(swaps > 0);
        Assert.True(Directory.GetFileSystemEntries(Outside).Length == 0,
            $"files landed outside the root: {string.Join(' ', Directory.GetFileSystemEntries(Outside))} ({landed} landed, {refused} refused)");
        Assert.Equal(landed, Directory.GetFiles(Root, "f*", SearchOption.AllDirectories).Length);
    }

    private Task<FcopySimSession> StartAsync(string transport) =>
        FcopySimSession.StartAsync(transport, daemonArguments: [$"--Fcopy:AllowedRoots:0={Root}"]);

    private static async Task<FcopyResult> CopyAsync(FcopySimSession s, string dir, string name, uint flags)
    {
        byte[] data = RandomNumberGenerator.GetBytes(100);
        using var source = new MemoryStream(data);
        return await FcopyHost.CopyAsync(s.Link, source, data.Length, dir, name, flags);
    }
}
