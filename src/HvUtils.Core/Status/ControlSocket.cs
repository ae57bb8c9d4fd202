namespace HvUtils.Core.Status;

/// <summary>
/// The control socket under <c>Runtime:Directory</c>: a stream Unix socket, mode 0600, peer
/// credentials checked. Protocol: the client sends one line (<see cref="StatusRequest"/>),
/// the daemon answers one UTF-8 JSON document and closes.
/// </summary>
public static class ControlSocket
{
    public const string FileName = "control.sock";

    public const string StatusRequest = "status";

    /// <summary>Longest request line accepted; anything longer is refused.</summary>
    public const int MaxRequestLength = 256;

    public static string PathIn(string runtimeDirectory) => Path.Combine(runtimeDirectory, FileName);
}
