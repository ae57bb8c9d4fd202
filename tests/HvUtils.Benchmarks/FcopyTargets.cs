using HvUtils.Testing;

namespace HvUtils.Benchmarks;

/// <summary>
/// The two copy targets of the FCOPY benchmarks, created for the run and always removed: a tmpfs
/// and an ext4 on a loop device, each sized for a copy of <c>sizeMiB</c>. The loop device runs
/// in direct-I/O mode unless <paramref name="bufferedLoop"/>: like a disk — buffered, it writes
/// into the page cache of its image file, and a copy's fsync then also flushes that second copy.
/// </summary>
internal sealed class FcopyTargets : IDisposable
{
    private readonly TempDirectory _work;
    private readonly LoopFilesystem _ext4;

    public FcopyTargets(long sizeMiB, bool bufferedLoop = false)
    {
        _work = new TempDirectory("hvutils-fcopy-bench-");
        Tmpfs = _work.Combine("tmpfs");
        Directory.CreateDirectory(Tmpfs);
        ProcessRunner.Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB + 64}m", "tmpfs", Tmpfs);
        try
        {
            // Twice the copy: a copy never starts on a filesystem short of free blocks.
            _ext4 = LoopFilesystem.Create(sizeMb: (int)(2 * sizeMiB) + 256);
            if (!bufferedLoop)
            {
                ProcessRunner.Run("losetup", "--direct-io=on", _ext4.Device);
            }
            bool direct = ProcessRunner.Run("losetup", "--noheadings", "--output", "DIO", _ext4.Device).Trim() == "1";
            Ext4Description = $"{_ext4.Device}, {(direct ? "direct I/O to its image, like a disk" : "buffered: its image file has a page cache of its own")}";
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Tmpfs { get; }

    public string Ext4 => _ext4.MountPoint;

    public string Ext4Description { get; }

    /// <summary>The work directory (on the disk), for sockets and daemon state.</summary>
    public TempDirectory Work => _work;

    public (string Name, string Directory)[] Both => [("tmpfs", Tmpfs), ("ext4", Ext4)];

    public void Dispose()
    {
        _ext4?.Dispose();
        ProcessRunner.Run("umount", ["-l", Tmpfs], check: false);
        _work.Dispose();
    }
}
