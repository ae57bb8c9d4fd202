using HvUtils.Core.Configuration;
using HvUtils.Core.Interop;
using HvUtils.Core.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Hosting;

/// <summary>
/// Once the daemon has been ready for <c>Runtime:TrimMemoryAfter</c>, hands start-up memory back
/// (issue 8 §7, idle RSS): one aggressive compacting collection returns the start-up garbage's GC
/// regions, and the executable's read-only pages — code, type data and unwind tables touched only
/// by host construction, configuration binding and exporter set-up, which is most of the binary
/// because the kernel maps 64 KiB around every page fault — are reclaimed with
/// <c>madvise(MADV_PAGEOUT)</c> (Linux ≥ 5.4). They are clean file pages: nothing is written, and a
/// page a later request needs is read back from the binary. MADV_DONTNEED was measured too: it
/// only unmaps, the pages stay cached and every later fault maps 64 KiB of them back (idle RSS
/// 13.4 MiB and 16.4 after a scrape, against 11.8 and 13.5), and the memory is not freed.
/// Only mappings without private copy-on-write pages (smaps <c>Anonymous: 0 kB</c>) are advised,
/// so the relocated RELRO page is left alone. One shot, no timer afterwards.
/// </summary>
public sealed class StartupMemoryTrim(ChannelRegistry registry, IOptions<RuntimeOptions> options, TimeProvider time, ILogger<StartupMemoryTrim> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan delay = options.Value.TrimMemoryAfter;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        await Task.WhenAll(registry.Runners.Select(r => r.Settled)).WaitAsync(stoppingToken).ConfigureAwait(false);
        await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        int ranges, error;
        long bytes;
        try
        {
            (ranges, bytes, error) = Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // /proc hidden (ProtectProc=) or not mounted: only the trim is lost.
            logger.LogDebug("start-up memory trim skipped: {Error}", ex.Message);
            return;
        }
        if (error != 0)
        {
            logger.LogDebug("start-up memory trim: madvise(MADV_PAGEOUT) failed with errno {Errno} (kernel older than 5.4?)", -error);
        }
        else
        {
            logger.LogDebug("start-up memory trim: released {Ranges} read-only ranges of the executable ({Megabytes:N1} MiB mapped)", ranges, bytes / 1048576.0);
        }
    }

    /// <summary>Collects, then pages out the executable's clean read-only mappings; returns what was advised and the first error (-errno) or 0.</summary>
    public static (int Ranges, long Bytes, int Error) Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        string? exe = Environment.ProcessPath;
        return exe is null ? (0, 0, 0) : PageOut(File.ReadAllText("/proc/self/smaps"), exe);
    }

    /// <summary>
    /// Advises MADV_PAGEOUT on every read-only mapping of <paramref name="path"/> in
    /// <paramref name="smaps"/> (proc(5) format) that holds no anonymous (copy-on-write) pages.
    /// </summary>
    public static (int Ranges, long Bytes, int Error) PageOut(string smaps, string path)
    {
        int ranges = 0;
        long bytes = 0;
        foreach (MappedRange range in MappedRange.CleanReadOnlyMappingsOf(smaps, path))
        {
            int r = Native.Advise(range.Start, range.Length, Native.MADV_PAGEOUT);
            if (r < 0)
            {
                return (ranges, bytes, r);
            }
            ranges++;
            bytes += range.Length;
        }
        return (ranges, bytes, 0);
    }
}
