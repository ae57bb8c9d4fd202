using System.Diagnostics;

namespace HvUtils.Testing;

/// <summary>Runs a helper tool (mkfs, losetup, mount, ip) to completion and returns its output; throws on a non-zero exit.</summary>
public static class ProcessRunner
{
    public static string Run(string file, params string[] args) => Run(file, args, check: true).Output;

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, bool check, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_EnableDiagnostics"] = "0"; // no diagnostic IPC files in /tmp left by .NET tools (hvutils)
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish");
        }
        string output = stdout.Result + stderr.Result;
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {output.Trim()}");
        }
        return (p.ExitCode, output);
    }
}
