using System.Security.Cryptography;
using HvUtils.Core.Channels;
using HvUtils.HostSim.Fcopy;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>FCOPY onto a full ext4 loop filesystem (issue 9 point 3): disk-full to the host, nothing visible, and copies work again once there is room.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FcopyStorageFaultTests
{
    [RootTheory]
    [InlineData("legacy")]
    [InlineData("uio")]
    public async Task A_copy_onto_a_full_ext4_answers_disk_full_leaves_nothing_and_later_copies_succeed(string transport)
    {
        using LoopFilesystem fs = LoopFilesystem.Create();
        string filler = Path.Combine(fs.MountPoint, "filler");
        await using FcopySimSession s = await FcopySimSession.StartAsync(transport);
        PoolStorageFaultTests.FillUp(filler);
        byte[] data = RandomNumberGenerator.GetBytes(2 << 20);
        FcopyResult r = await CopyAsync(s, data, fs.MountPoint, "big");
        Assert.Equal(HvStatus.ERROR_DISK_FULL, r.Status);
        Assert.Equal(["filler", "lost+found"], Directory.GetFileSystemEntries(fs.MountPoint).Select(Path.GetFileName).Order());
        File.Delete(filler);
        Assert.True((await CopyAsync(s, data, fs.MountPoint, "big")).Succeeded);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fs.MountPoint, "big")));
    }

    private static async Task<FcopyResult> CopyAsync(FcopySimSession s, byte[] data, string directory, string name)
    {
        using var source = new MemoryStream(data);
        return await FcopyHost.CopyAsync(s.Link, source, data.Length, directory, name, 0);
    }
}
