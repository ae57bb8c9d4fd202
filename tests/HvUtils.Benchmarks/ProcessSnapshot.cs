using System.Globalization;

namespace HvUtils.Benchmarks;

/// <summary>Per-process figures from /proc: context switches of every thread, RSS breakdown, top mappings.</summary>
public static class ProcessSnapshot
{
    /// <summary>
    /// Voluntary + nonvoluntary context switches per thread id: each is a wake-up or a
    /// preemption. Per thread, because threads that exit (idle thread-pool workers) take
    /// their counts with them.
    /// </summary>
    public static Dictionary<int, long> ContextSwitches(int pid)
    {
        var counts = new Dictionary<int, long>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                counts[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = File.ReadLines(Path.Combine(task, "status"))
                    .Where(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || l.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    .Sum(Value);
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }
        return counts;
    }

    /// <summary>Switches between two snapshots by the threads alive at the end (new threads count from zero); and how many threads exited.</summary>
    public static (long Switches, int Exited) Delta(Dictionary<int, long> before, Dictionary<int, long> after) =>
        (after.Sum(kv => kv.Value - before.GetValueOrDefault(kv.Key)), before.Keys.Count(t => !after.ContainsKey(t)));

    /// <summary>The "Key: N kB" fields of /proc/PID/smaps_rollup (Rss, Pss_Anon, Pss_File, …).</summary>
    public static Dictionary<string, long> Rollup(int pid) =>
        File.ReadLines($"/proc/{pid}/smaps_rollup").Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[1].TrimEnd().EndsWith("kB", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => Value(p[0] + ":" + p[1]));

    /// <summary>RSS per mapping name (file path, [heap], [anon], …) summed over /proc/PID/smaps, largest first.</summary>
    public static IEnumerable<(string Name, long Kb)> RssByMapping(int pid)
    {
        var sums = new Dictionary<string, long>();
        string current = "?";
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                string[] parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                current = parts.Length >= 6 ? parts[5].Trim() : "[anon]";
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                sums[current] = sums.GetValueOrDefault(current) + Value(line);
            }
        }
        return sums.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value));
    }

    /// <summary>CPU time consumed so far by the live threads, from /proc/PID/task/*/schedstat (ns on CPU): load-independent, unlike wall time.</summary>
    public static double CpuMilliseconds(int pid)
    {
        long ns = 0;
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                ns += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        return ns / 1e6;
    }

    public static long Threads(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Length;

    private static bool IsMappingHeader(string line)
    {
        int dash = line.IndexOf('-', StringComparison.Ordinal);
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return dash > 0 && space > dash && line[..dash].All(char.IsAsciiHexDigit);
    }

    private static long Value(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
