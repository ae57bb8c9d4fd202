using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using HvUtils.Core.Configuration;
using HvUtils.Core.Hosting;
using HvUtils.Core.Interop;
using HvUtils.Core.Logging;
using HvUtils.Core.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Status;

/// <summary>
/// Serves <c>hvutils status</c> on <see cref="ControlSocket"/> under <c>Runtime:Directory</c>.
/// Only root or the daemon's own user may ask (SO_PEERCRED, checked per connection; the
/// socket file is also 0600). Idle cost: one pending accept on the runtime's socket engine.
/// </summary>
public sealed class StatusServer(
    IOptions<RuntimeOptions> runtime,
    ChannelRegistry registry,
    IEnumerable<IStatusContributor> contributors,
    TimeProvider time,
    ILogger<StatusServer> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _startedAt = ProcessStart();
    private readonly uint _ownUid = Native.GetEuid();

    // A user polling status in a loop must not flood the journal.
    private readonly RateLimitedLog _refusals = new(logger, TimeSpan.FromMinutes(1), time);
    private Socket? _listener;
    private string? _path;

    public string? SocketPath => _path;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = ControlSocket.PathIn(runtime.Value.Directory);
        try
        {
            _listener = Listen(path);
            _path = path;
            _ = AcceptLoopAsync(_listener);
            logger.LogDebug("status socket listening on {Path}", path);
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
        {
            // Status is a convenience: a read-only /run must not stop the channels.
            logger.LogWarning("status socket {Path} unavailable: {Error}", path, ex.Message);
        }
        return Task.CompletedTask;
    }

    private static Socket Listen(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (File.Exists(path) || Directory.Exists(path))
        {
            if ((File.GetAttributes(path) & FileAttributes.Directory) != 0)
            {
                throw new IOException($"{path} is a directory");
            }
            File.Delete(path); // a stale socket from a previous run
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(8);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                byte[] answer = await AnswerAsync(client).ConfigureAwait(false);
                await client.SendAsync(answer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                await client.SendAsync("\n"u8.ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                logger.LogDebug("status client went away: {Error}", ex.Message);
            }
        }
    }

    private async Task<byte[]> AnswerAsync(Socket client)
    {
        (int pid, uint uid, _) = Native.PeerCredentials(client);
        // Read the request even from a peer about to be refused: closing with its line unread
        // makes the kernel reset the connection, and the peer may lose the refusal (issue 9 point 4).
        string? request = await ReadLineAsync(client).ConfigureAwait(false);
        if (uid != 0 && uid != _ownUid)
        {
            _refusals.LogWarning($"status-refused-uid-{uid}", "status refused to pid {Pid} uid {Uid}: only root may ask", pid, uid);
            return StatusDocument.Error("permission denied: only root may query hvutilsd");
        }
        logger.LogDebug("status request \"{Request}\" from pid {Pid} uid {Uid}", request, pid, uid);
        if (request != ControlSocket.StatusRequest)
        {
            return StatusDocument.Error($"unknown request \"{request}\"");
        }
        return StatusDocument.Write(DaemonHost.Version, _startedAt, time.GetUtcNow(), registry.Statuses(), contributors);
    }

    private async Task<string?> ReadLineAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(RequestTimeout);
        byte[] buffer = new byte[ControlSocket.MaxRequestLength];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            int newline = Array.IndexOf(buffer, (byte)'\n', length, n);
            length += n;
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, newline).Trim();
            }
        }
        return length == buffer.Length ? null : Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _listener?.Dispose();
        if (_path is not null)
        {
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
            }
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Dispose();
        _stop.Dispose();
    }

    private static DateTimeOffset ProcessStart()
    {
        using Process self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
