using System.Diagnostics;
using System.Text;
using HvUtils.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace HvUtils.Vss.Hooks;

/// <summary>
/// The executables in <c>Vss:HooksDirectory</c>, run without a shell (execve through
/// <see cref="Process"/> with an argument list): in name order with "freeze" before freezing,
/// in reverse order with "thaw" after thawing or "freeze-fail" after a failed freeze. Each
/// has <c>Vss:HookTimeout</c>; its environment says what is happening:
/// HVUTILS_VSS_OPERATION, HVUTILS_VSS_MOUNTS (newline-separated, freeze order) and
/// HVUTILS_VSS_MOUNT_COUNT. Hidden files and editor/package leftovers are ignored, like run-parts.
/// </summary>
public sealed class FreezeHooks(string directory, TimeSpan timeout, ILogger logger, VssMetrics? metrics = null)
{
    private const int MaxCapturedOutput = 4096;

    public const string Freeze = "freeze";
    public const string Thaw = "thaw";
    public const string FreezeFail = "freeze-fail";

    /// <summary>The hooks in name order (ordinal), refused ones included so they are reported.</summary>
    public IReadOnlyList<FreezeHook> List()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return [.. Directory.EnumerateFileSystemEntries(directory)
            .Where(p => IsHookName(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)
            .Select(FreezeHook.Inspect)];
    }

    /// <summary>
    /// Runs <paramref name="hooks"/> in the given order with <paramref name="operation"/>. With
    /// <paramref name="stopOnFailure"/> the first failure (or refusal) ends the run.
    /// </summary>
    public IReadOnlyList<HookRun> Run(IEnumerable<FreezeHook> hooks, string operation, IReadOnlyList<string> mounts, bool stopOnFailure)
    {
        var runs = new List<HookRun>();
        foreach (FreezeHook hook in hooks)
        {
            HookRun run = hook.RefusedBecause is { } why ? Refuse(hook, operation, why) : RunOne(hook, operation, mounts);
            runs.Add(run);
            metrics?.RecordHook(run);
            if (!run.Succeeded && stopOnFailure)
            {
                break;
            }
        }
        return runs;
    }

    private HookRun Refuse(FreezeHook hook, string operation, string why)
    {
        logger.LogError("refusing hook {Hook} ({Operation}): {Reason}; fix its owner or mode (root-owned, executable, not world-writable)", hook.Path, operation, why);
        return new HookRun(hook, operation, false, "refused", null, TimeSpan.Zero, "");
    }

    private HookRun RunOne(FreezeHook hook, string operation, IReadOnlyList<string> mounts)
    {
        var psi = new ProcessStartInfo(hook.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        psi.ArgumentList.Add(operation);
        psi.Environment["HVUTILS_VSS_OPERATION"] = operation;
        psi.Environment["HVUTILS_VSS_MOUNTS"] = string.Join('\n', mounts);
        psi.Environment["HVUTILS_VSS_MOUNT_COUNT"] = mounts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        long start = Stopwatch.GetTimestamp();
        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Capture(output, e.Data);
        process.ErrorDataReceived += (_, e) => Capture(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogError("hook {Hook} ({Operation}) could not start: {Error}", hook.Path, operation, ex.Message);
            return new HookRun(hook, operation, false, "failure", null, Stopwatch.GetElapsedTime(start), "");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Finish(hook, operation, process, start, output);
    }

    private HookRun Finish(FreezeHook hook, string operation, Process process, long start, StringBuilder output)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            TimeSpan took = Stopwatch.GetElapsedTime(start);
            logger.LogError("hook {Hook} ({Operation}) did not finish within {Timeout} s and was killed", hook.Path, operation, timeout.TotalSeconds);
            return new HookRun(hook, operation, false, "timeout", null, took, Captured(output));
        }
        process.WaitForExit();
        TimeSpan duration = Stopwatch.GetElapsedTime(start);
        string text = Captured(output);
        bool ok = process.ExitCode == 0;
        if (ok)
        {
            logger.LogInformation("hook {Hook} ({Operation}) succeeded in {Milliseconds:0.#} ms{Output}", hook.Name, operation, duration.TotalMilliseconds, Suffix(text));
        }
        else
        {
            logger.LogError("hook {Hook} ({Operation}) exited with {ExitCode}{Output}", hook.Path, operation, process.ExitCode, Suffix(text));
        }
        return new HookRun(hook, operation, ok, ok ? "success" : "failure", process.ExitCode, duration, text);
    }

    private static void Capture(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            if (output.Length < MaxCapturedOutput)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Captured(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().TrimEnd();
        }
    }

    private static string Suffix(string text) => text.Length == 0 ? "" : $": {text.ReplaceLineEndings(" | ")}";

    /// <summary>run-parts style: skip hidden files and leftovers (foo~, foo.dpkg-old, foo.rpmnew, foo.swp).</summary>
    private static bool IsHookName(string name) =>
        name.Length > 0 && name[0] != '.' && !name.EndsWith('~')
        && !name.Contains(".dpkg-", StringComparison.Ordinal) && !name.EndsWith(".rpmnew", StringComparison.Ordinal)
        && !name.EndsWith(".rpmsave", StringComparison.Ordinal) && !name.EndsWith(".swp", StringComparison.Ordinal);
}
