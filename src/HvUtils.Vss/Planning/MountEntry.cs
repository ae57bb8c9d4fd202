namespace HvUtils.Vss.Planning;

/// <summary>
/// One line of <c>/proc/self/mountinfo</c> (proc(5)): the superblock's device number, the
/// subtree mounted (<see cref="Root"/>), where, per-mount and per-superblock options.
/// </summary>
public sealed record MountEntry(
    int MountId,
    int ParentId,
    uint Major,
    uint Minor,
    string Root,
    string MountPoint,
    string MountOptions,
    string FsType,
    string Source,
    string SuperOptions)
{
    /// <summary>"major:minor" of the superblock: equal for bind mounts and btrfs subvolumes of one filesystem.</summary>
    public string DeviceNumber => $"{Major}:{Minor}";

    /// <summary>
    /// Read-only judged from the superblock, not the mount: a unit with <c>ProtectSystem=</c>
    /// sees read-only bind mounts of writable filesystems, which must still be frozen.
    /// </summary>
    public bool IsReadOnlySuperblock => HasOption(SuperOptions, "ro");

    /// <summary>Exact match of one comma-separated option, as getmntent's hasmntopt (spec/vss.md §5.2).</summary>
    public static bool HasOption(string options, string option)
    {
        foreach (Range r in options.AsSpan().Split(','))
        {
            if (options.AsSpan()[r].SequenceEqual(option))
            {
                return true;
            }
        }
        return false;
    }
}
