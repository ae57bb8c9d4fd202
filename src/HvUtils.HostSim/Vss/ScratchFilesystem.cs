using System.Diagnostics;

namespace HvUtils.HostSim.Vss;

/// <summary>
/// The demo's freeze target: a small ext4 image on a loop device, mounted under the demo's
/// work directory. Only this filesystem is ever frozen by the demo; <see cref="Dispose"/>
/// thaws, unmounts and detaches, also after a failure.
/// </summary>
public sealed class ScratchFilesystem : IDisposable
{
    private ScratchFilesystem(string mountPoint, string device)
    {
        MountPoint = mountPoint;
        Device = device;
    }

    public string MountPoint { get; }

    public string Device { get; }

    /// <summary>Creates and mounts it under <paramref name="directory"/>; throws with the tool's output on failure.</summary>
    public static ScratchFilesystem Create(string directory)
    {
        Directory.CreateDirectory(directory);
        string image = Path.Combine(directory, "scratch.img");
        string mountPoint = Path.Combine(directory, "mnt");
        Directory.CreateDirectory(mountPoint);
        using (var f = new FileStream(image, FileMode.Create))
        {
            f.SetLength(16 * 1024 * 1024);
        }
        string device = Tool("losetup", "--find", "--show", image).Trim();
        try
        {
            Tool("mkfs.ext4", "-q", "-F", device);
            Tool("mount", device, mountPoint);
        }
        catch
        {
            Tool("losetup", "-d", device);
            throw;
        }
        return new ScratchFilesystem(mountPoint, device);
    }

    public void Dispose()
    {
        TryTool("fsfreeze", "--unfreeze", MountPoint);
        TryTool("umount", MountPoint);
        TryTool("losetup", "-d", Device);
    }

    private static void TryTool(string file, params string[] args)
    {
        try
        {
            Tool(file, args);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Runs a system tool (no shell) and returns its standard output; throws when it fails.</summary>
    private static string Tool(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} exited {p.ExitCode}: {error.Trim()}");
    }
}
