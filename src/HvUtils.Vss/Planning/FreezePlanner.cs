namespace HvUtils.Vss.Planning;

/// <summary>
/// Chooses what to freeze from mountinfo (spec/vss.md §5.2), like the C daemon by default:
/// block devices under /dev, not loop or loop-backed, not read-only (judged from the
/// superblock), not vfat, root last. Unlike it, each filesystem is frozen once (bind mounts
/// and btrfs subvolumes share the superblock's device number), mounts hidden under a later
/// mount at the same path are skipped, and Include/Exclude patterns refine the choice: an
/// Exclude always wins; a non-empty Include restricts the plan to matching mounts and
/// overrides the default skips for them.
/// </summary>
public sealed class FreezePlanner(IReadOnlyList<MountPattern> include, IReadOnlyList<MountPattern> exclude, BlockDevices devices)
{
    public FreezePlanner(VssOptions options, BlockDevices? devices = null)
        : this([.. options.Include.Select(MountPattern.Parse)], [.. options.Exclude.Select(MountPattern.Parse)],
            devices ?? new BlockDevices(options.SysfsBlockPath))
    {
    }

    /// <summary>Reads <paramref name="mountInfoPath"/> and plans; an unreadable file is an empty plan with a note.</summary>
    public FreezePlan PlanFromFile(string mountInfoPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(mountInfoPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FreezePlan.Empty with { Notes = [$"cannot read {mountInfoPath}: {ex.Message}"] };
        }
        var notes = new List<string>();
        IReadOnlyList<MountEntry> mounts = MountInfoParser.Parse(text, notes);
        FreezePlan plan = Plan(mounts);
        return notes.Count == 0 ? plan : plan with { Notes = [.. notes, .. plan.Notes] };
    }

    public FreezePlan Plan(IReadOnlyList<MountEntry> mounts)
    {
        var skipped = new List<SkippedMount>();
        var notes = new List<string>();
        var chosen = new List<(MountEntry Mount, string Reason)>();
        for (int i = 0; i < mounts.Count; i++)
        {
            MountEntry m = mounts[i];
            string reason = "";
            string? skip = HiddenBy(mounts, i) ?? SkipReason(m, notes, out reason);
            if (skip is not null)
            {
                skipped.Add(Skip(m, skip));
            }
            else
            {
                chosen.Add((m, reason));
            }
        }
        return new FreezePlan(Deduplicate(chosen, skipped), skipped, notes);
    }

    private string? SkipReason(MountEntry m, List<string> notes, out string reason)
    {
        reason = "";
        if (exclude.FirstOrDefault(p => p.Matches(m)) is { } ex)
        {
            return $"excluded by Vss:Exclude \"{ex.Text}\"";
        }
        if (include.Count > 0)
        {
            if (include.FirstOrDefault(p => p.Matches(m)) is { } inc)
            {
                reason = $"included by Vss:Include \"{inc.Text}\"";
                return null;
            }
            return "not matched by Vss:Include";
        }
        reason = "local block device";
        return DefaultSkipReason(m, notes);
    }

    /// <summary>The C daemon's tests, in its order (spec/vss.md §5.2).</summary>
    private string? DefaultSkipReason(MountEntry m, List<string> notes)
    {
        if (!m.Source.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return "not a block device";
        }
        (uint Major, uint Minor)? dev = devices.DeviceOf(m.Source);
        if (dev is null)
        {
            // spec/vss.md §5.2: a failed stat is logged and the remaining tests still apply.
            notes.Add($"cannot stat {m.Source} (for {m.MountPoint}); using the superblock's device number {m.DeviceNumber}");
        }
        (uint major, uint minor) = dev ?? (m.Major, m.Minor);
        if (devices.LoopReason(major, minor) is { } loop)
        {
            return loop;
        }
        if (m.IsReadOnlySuperblock)
        {
            return "read-only filesystem";
        }
        if (m.FsType == "vfat")
        {
            return "vfat cannot be frozen";
        }
        return null;
    }

    /// <summary>A later mount on the same directory hides this one: opening the path reaches the later mount.</summary>
    private static string? HiddenBy(IReadOnlyList<MountEntry> mounts, int index)
    {
        for (int j = index + 1; j < mounts.Count; j++)
        {
            if (mounts[j].MountPoint == mounts[index].MountPoint)
            {
                return $"hidden by a later mount on the same directory ({mounts[j].FsType} from {mounts[j].Source})";
            }
        }
        return null;
    }

    /// <summary>One target per superblock: "/" if it is one of the mounts, else the first; the root filesystem last.</summary>
    private static List<FreezeTarget> Deduplicate(List<(MountEntry Mount, string Reason)> chosen, List<SkippedMount> skipped)
    {
        var byDevice = new Dictionary<string, (MountEntry Mount, string Reason)>();
        var order = new List<string>();
        foreach ((MountEntry m, string reason) in chosen)
        {
            if (!byDevice.TryGetValue(m.DeviceNumber, out var first))
            {
                byDevice[m.DeviceNumber] = (m, reason);
                order.Add(m.DeviceNumber);
            }
            else if (m.MountPoint == "/")
            {
                skipped.Add(Skip(first.Mount, $"same filesystem as / (frozen once, through /)"));
                byDevice[m.DeviceNumber] = (m, reason);
            }
            else
            {
                skipped.Add(Skip(m, $"same filesystem as {first.Mount.MountPoint} (bind mount or subvolume; frozen once)"));
            }
        }
        var targets = order.Select(d => byDevice[d])
            .Select(x => new FreezeTarget(x.Mount.MountPoint, x.Mount.Source, x.Mount.FsType, x.Mount.DeviceNumber, x.Reason))
            .ToList();
        int root = targets.FindIndex(t => t.MountPoint == "/");
        if (root >= 0)
        {
            FreezeTarget r = targets[root];
            targets.RemoveAt(root);
            targets.Add(r with { Reason = r.Reason + "; root, frozen last" });
        }
        return targets;
    }

    private static SkippedMount Skip(MountEntry m, string reason) => new(m.MountPoint, m.Source, m.FsType, reason);
}
