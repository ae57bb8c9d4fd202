namespace HvUtils.Fuzz;

/// <summary>Open descriptors and threads of this process, from /proc/self (the leak invariant).</summary>
public readonly record struct ProcessCounts(int Fds, int Threads)
{
    /// <summary>
    /// Descriptors not held by the runtime for a managed assembly it loaded lazily (a rare path
    /// first reached mid-run maps System.Threading.Thread.dll and keeps the fd: not a leak of the channel).
    /// </summary>
    public static ProcessCounts Now() => new(FdTargets().Count, Directory.GetFileSystemEntries("/proc/self/task").Length);

    /// <summary>What each open descriptor points to (named in a leak report).</summary>
    public static HashSet<string> FdTargets()
    {
        var targets = new HashSet<string>();
        foreach (string fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is null || !(target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".dll (deleted)", StringComparison.Ordinal)))
                {
                    targets.Add($"{Path.GetFileName(fd)}->{target}");
                }
            }
            catch (IOException)
            {
                // closed meanwhile (the enumeration's own descriptor)
            }
        }
        return targets;
    }

    public override string ToString() => $"{Fds} fds, {Threads} threads";
}
