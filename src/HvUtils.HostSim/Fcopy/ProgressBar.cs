using System.Diagnostics;

namespace HvUtils.HostSim.Fcopy;

/// <summary>A one-line progress bar on a terminal; on a pipe (the control socket) a line every 25 %.</summary>
public sealed class ProgressBar(TextWriter output, long total, bool interactive) : IProgress<long>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw;
    private int _lastQuarter;

    public void Report(long value)
    {
        double fraction = total == 0 ? 1 : (double)value / total;
        if (interactive)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastDraw < 100 && value < total)
            {
                return;
            }
            _lastDraw = now;
            int filled = (int)(fraction * 30);
            output.Write($"\r[{new string('#', filled)}{new string('-', 30 - filled)}] {fraction,4:P0} {value / 1048576.0,8:0.0} MiB {Rate(value),7:0.0} MB/s");
            return;
        }
        int quarter = (int)(fraction * 4);
        if (quarter > _lastQuarter)
        {
            _lastQuarter = quarter;
            output.WriteLine($"{fraction:P0} {value} bytes, {Rate(value):0.0} MB/s");
        }
    }

    public void Finish()
    {
        if (interactive)
        {
            output.WriteLine();
        }
    }

    private double Rate(long value) => value / 1e6 / Math.Max(_clock.Elapsed.TotalSeconds, 1e-6);
}
