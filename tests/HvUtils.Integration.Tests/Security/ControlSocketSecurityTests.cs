using HvUtils.Testing;

namespace HvUtils.Integration.Tests.Security;

/// <summary>
/// The control socket against an unprivileged peer (issue 9 point 4). The client runs as
/// nobody (65534) through <c>setpriv</c>; two layers are checked separately: the 0600 socket
/// file refuses the connect, and when the file mode is opened up the daemon's SO_PEERCRED check
/// still answers nothing but a refusal.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlSocketSecurityTests
{
    // The system interpreter: nobody cannot run a per-user shim from root's home.
    private const string Python = "/usr/bin/python3";

    // A tiny client that needs nothing nobody cannot read: connect, send "status\n", print the answer or the errno.
    private const string Client =
        "import socket,sys,time\n" +
        "s=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\n" +
        "try:\n s.connect(sys.argv[1])\nexcept OSError as e:\n print('ERR', e.errno); sys.exit(3)\n" +
        "s.sendall(b'status\\n'); time.sleep(0.3); d=b''\n" +
        "while True:\n c=s.recv(65536)\n if not c: break\n d+=c\n" +
        "print(d.decode())\n";

    [RootFact]
    public async Task Nobody_cannot_connect_through_the_0600_socket_file()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync();
        OpenPath(d);
        (int code, string output) = AsNobody(d.ControlSocket);
        Assert.Equal(3, code);
        Assert.Contains("ERR 13", output, StringComparison.Ordinal); // EACCES
    }

    [RootFact]
    public async Task Nobody_gets_only_a_refusal_even_when_the_socket_file_is_world_writable()
    {
        await using MetricsDaemon d = await MetricsDaemon.StartAsync();
        OpenPath(d);
        File.SetUnixFileMode(d.ControlSocket, (UnixFileMode)0b110_110_110);
        (int code, string output) = AsNobody(d.ControlSocket);
        Assert.True(code == 0, output);
        Assert.Contains("permission denied", output, StringComparison.Ordinal);
        Assert.DoesNotContain("channels", output, StringComparison.Ordinal);
        Assert.DoesNotContain("kvp", output, StringComparison.Ordinal);
        await d.WaitForOutputAsync(l => l.Contains("status refused", StringComparison.Ordinal) && l.Contains("uid 65534", StringComparison.Ordinal));

        (code, output) = ProcessRunner.Run(Python, ["-c", Client, d.ControlSocket], check: false);
        Assert.True(code == 0, output);
        Assert.Contains("\"channels\"", output, StringComparison.Ordinal); // root still gets the full answer
    }

    /// <summary>Lets nobody traverse to the socket (the temp directory is 0700), so only the socket's own checks remain.</summary>
    private static void OpenPath(MetricsDaemon d)
    {
        File.SetUnixFileMode(d.Dir.Path, (UnixFileMode)0b111_001_001);
        File.SetUnixFileMode(d.Dir.Combine("run"), (UnixFileMode)0b111_101_101);
    }

    private static (int Code, string Output) AsNobody(string socket) =>
        ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Python, "-c", Client, socket], check: false, TimeSpan.FromSeconds(30));
}
