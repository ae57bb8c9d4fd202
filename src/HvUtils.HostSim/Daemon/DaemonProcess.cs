using System.Diagnostics;
using System.Reflection;
using HvUtils.Core.Interop;

namespace HvUtils.HostSim.Daemon;

/// <summary>
/// The real hvutilsd as a child process (demo, integration tests, benchmarks): started
/// with a NOTIFY_SOCKET we own, its output captured, stopped by PID with a signal.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _lock = new();

    private DaemonProcess(Process process, NotifyListener notify, DateTimeOffset startedAt)
    {
        _process = process;
        Notify = notify;
        StartedAt = startedAt;
    }

    /// <summary>
    /// The daemon binary: <c>$HVUTILSD_PATH</c> (the AOT build in CI), else the build output
    /// next to this project (recorded at build time).
    /// </summary>
    public static string DefaultBinary =>
        Environment.GetEnvironmentVariable("HVUTILSD_PATH") is { Length: > 0 } p ? p
        : typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "HvutilsdPath")?.Value
            ?? throw new InvalidOperationException("hvutilsd path unknown: set HVUTILSD_PATH");

    public NotifyListener Notify { get; }

    public DateTimeOffset StartedAt { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the daemon printed (stdout and stderr), in order.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_lock)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts hvutilsd with <paramref name="arguments"/>; its notify socket lives in <paramref name="workDirectory"/>.</summary>
    public static DaemonProcess Start(string workDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? binary = null)
    {
        var notify = new NotifyListener(Path.Combine(workDirectory, $"notify-{Guid.NewGuid():N}.sock"));
        var psi = new ProcessStartInfo(binary ?? DefaultBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["NOTIFY_SOCKET"] = notify.Path;
        psi.Environment.Remove("INVOCATION_ID");
        psi.Environment.Remove("JOURNAL_STREAM");
        // A JIT daemon would open diagnostic IPC endpoints under /tmp that a killed process never
        // removes (tests SIGKILL it on purpose); the environment below can turn them back on.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process, notify, DateTimeOffset.UtcNow);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits for READY=1; throws with the daemon's output when it exits or times out first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        Task ready = Notify.WaitForAsync("READY=1", timeout);
        Task exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(ready, exited).ConfigureAwait(false) == exited)
        {
            throw new InvalidOperationException($"hvutilsd exited with {_process.ExitCode} before READY:\n{string.Join('\n', Output)}");
        }
        await ready.ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="signal"/> (SIGTERM by default) and waits for the exit code.</summary>
    public async Task<int> StopAsync(int signal = Native.SIGTERM, TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Native.Kill(_process.Id, signal);
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>VmRSS of the running daemon in kB, from /proc.</summary>
    public long ResidentKilobytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Native.Kill(_process.Id, Native.SIGKILL);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        Notify.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _output.Add(line);
        }
    }
}
