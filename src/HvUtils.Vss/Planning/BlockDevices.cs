using HvUtils.Core.Interop;

namespace HvUtils.Vss.Planning;

/// <summary>
/// What the planner asks about block devices: a source's device number (stat(2) st_rdev) and
/// whether a device is a loop device or stacked on one, from sysfs (spec/vss.md §5.2). The
/// sysfs root is configurable so fixtures can fake it; tests may replace the stat lookup.
/// </summary>
public class BlockDevices(string sysfsBlockPath)
{
    private const int MaxStackDepth = 8;

    /// <summary>The block device number behind <paramref name="source"/>, or null when it cannot be stat'ed or is not a block device.</summary>
    public virtual (uint Major, uint Minor)? DeviceOf(string source)
    {
        const uint S_IFBLK = 0x6000;
        if (Native.StatPath(source, out FileStatus st) != 0 || (st.Mode & Native.S_IFMT) != S_IFBLK)
        {
            return null;
        }
        return (Native.DevMajor(st.RawDevice), Native.DevMinor(st.RawDevice));
    }

    /// <summary>"loop device", "stacked on a loop device", or null (spec/vss.md §5.2 loop detection).</summary>
    public string? LoopReason(uint major, uint minor)
    {
        string dir = Path.Combine(sysfsBlockPath, $"{major}:{minor}");
        return IsLoop(dir, 0) switch
        {
            0 => "loop device",
            > 0 => "stacked on a loop device",
            _ => null,
        };
    }

    /// <summary>The stacking depth at which a loop device was found, or -1.</summary>
    private static int IsLoop(string dir, int depth)
    {
        if (depth > MaxStackDepth)
        {
            return -1;
        }
        if (Directory.Exists(Path.Combine(dir, "loop")))
        {
            return depth;
        }
        string slaves = Path.Combine(dir, "slaves");
        if (!Directory.Exists(slaves))
        {
            return -1;
        }
        try
        {
            foreach (string slave in Directory.EnumerateFileSystemEntries(slaves))
            {
                int found = IsLoop(slave, depth + 1);
                if (found >= 0)
                {
                    return found;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // spec/vss.md §5.2: errors other than "does not exist" are treated as "not loop".
        }
        return -1;
    }
}
