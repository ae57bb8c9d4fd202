using System.ComponentModel;
using System.Diagnostics;

namespace HvUtils.Kvp.Network;

/// <summary>The result of one external command: exit code (-1 when it could not start or timed out) and its output.</summary>
public readonly record struct CommandResult(int ExitCode, string StandardOutput, string Error)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs helper scripts and apply commands directly (execve semantics: program path plus an argv array,
/// no shell, kvp.md §9), with a timeout, capturing stdout. Standard input is /dev/null-like (closed).
/// </summary>
public sealed class CommandRunner(TimeSpan timeout)
{
    public CommandResult Run(string program, params string[] arguments)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception e)
        {
            return new CommandResult(-1, "", $"{program}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
                process.WaitForExit();
                return new CommandResult(-1, "", $"{program}: timed out after {timeout.TotalSeconds:0.#} s");
            }
            process.WaitForExit();
            string error = stderr.Result.Trim();
            return new CommandResult(process.ExitCode, stdout.Result,
                process.ExitCode == 0 ? error : $"{program} exited {process.ExitCode}{(error.Length > 0 ? ": " + error : "")}");
        }
    }
}
