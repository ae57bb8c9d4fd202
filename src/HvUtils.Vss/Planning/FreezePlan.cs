namespace HvUtils.Vss.Planning;

/// <summary>A mount the freezer will freeze, in order (root last), and why it was chosen.</summary>
public sealed record FreezeTarget(string MountPoint, string Source, string FsType, string DeviceNumber, string Reason);

/// <summary>A mount left alone, and why.</summary>
public sealed record SkippedMount(string MountPoint, string Source, string FsType, string Reason);

/// <summary>
/// What a FREEZE would freeze, in order, and what it skips (spec/vss.md §5.2 plus the
/// include/exclude configuration). Built fresh for every FREEZE and by <c>hvutils vss plan</c>.
/// </summary>
public sealed record FreezePlan(IReadOnlyList<FreezeTarget> Targets, IReadOnlyList<SkippedMount> Skipped, IReadOnlyList<string> Notes)
{
    public static readonly FreezePlan Empty = new([], [], []);

    /// <summary>The mount points in freeze order (the <c>HVUTILS_VSS_MOUNTS</c> hook variable, one per line).</summary>
    public IEnumerable<string> MountPoints => Targets.Select(t => t.MountPoint);
}
