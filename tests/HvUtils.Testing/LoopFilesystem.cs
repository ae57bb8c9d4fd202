namespace HvUtils.Testing;

/// <summary>
/// A real filesystem the test owns: an image file under a temp directory, attached to a
/// loop device, formatted and mounted. Dispose thaws (in case a test left it frozen),
/// unmounts and detaches — also when the test failed. Needs root.
/// </summary>
public sealed class LoopFilesystem : IDisposable
{
    private readonly TempDirectory _dir;

    private LoopFilesystem(TempDirectory dir, string image, string device, string mountPoint, string type)
    {
        _dir = dir;
        Image = image;
        Device = device;
        MountPoint = mountPoint;
        Type = type;
    }

    public string Image { get; }

    /// <summary>/dev/loopN.</summary>
    public string Device { get; }

    public string MountPoint { get; }

    public string Type { get; }

    /// <summary>Creates an image of <paramref name="sizeMb"/> MiB formatted as <paramref name="type"/> (ext4 by default) and mounts it.</summary>
    public static LoopFilesystem Create(int sizeMb = 32, string type = "ext4", string? mountOptions = null)
    {
        RootRequirement.Assert();
        var dir = new TempDirectory("hvutils-loop-");
        string image = dir.Combine("fs.img");
        string mountPoint = dir.Combine("mnt");
        Directory.CreateDirectory(mountPoint);
        using (var f = new FileStream(image, FileMode.CreateNew))
        {
            f.SetLength(sizeMb * 1024L * 1024L);
        }
        string device = "";
        try
        {
            device = ProcessRunner.Run("losetup", "--find", "--show", image).Trim();
            if (type == "ext4")
            {
                ProcessRunner.Run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", device);
            }
            else
            {
                ProcessRunner.Run($"mkfs.{type}", device);
            }
            string[] mountArgs = mountOptions is null ? [device, mountPoint] : ["-o", mountOptions, device, mountPoint];
            ProcessRunner.Run("mount", mountArgs);
            return new LoopFilesystem(dir, image, device, mountPoint, type);
        }
        catch
        {
            if (device.Length > 0)
            {
                ProcessRunner.Run("losetup", ["-d", device], check: false);
            }
            dir.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Never leave a frozen filesystem behind: FITHAW on a thawed one just fails with EINVAL.
        ProcessRunner.Run("fsfreeze", ["--unfreeze", MountPoint], check: false);
        ProcessRunner.Run("umount", [MountPoint], check: false);
        ProcessRunner.Run("losetup", ["-d", Device], check: false);
        _dir.Dispose();
    }
}
