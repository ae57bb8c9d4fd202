using System.Net.Sockets;
using System.Text;

namespace HvUtils.HostSim.Session;

/// <summary>
/// `hvsim serve`'s control socket: another hvsim process connects, sends its words
/// NUL-separated, half-closes, and reads the command's output; the last line is
/// "exit N".
/// </summary>
public sealed class ControlServer(HostSimulator simulator, string socketPath) : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public string SocketPath { get; } = socketPath;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        File.Delete(SocketPath);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new MemoryStream();
            await stream.CopyToAsync(reader, cancellationToken);
            string[] words = Encoding.UTF8.GetString(reader.ToArray()).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            int code;
            ISimCommand? command = words.Length > 0 ? SimCommands.Find(words[0]) : null;
            if (command is null)
            {
                await writer.WriteLineAsync($"unknown command '{string.Join(' ', words)}'; commands:");
                foreach (ISimCommand c in SimCommands.All)
                {
                    await writer.WriteLineAsync($"  {c.Usage}");
                }
                code = 2;
            }
            else
            {
                try
                {
                    code = await command.RunAsync(simulator, words[1..], writer, cancellationToken);
                }
                catch (Exception ex)
                {
                    await writer.WriteLineAsync($"error: {ex.Message}");
                    code = 1;
                }
            }
            await writer.WriteLineAsync($"exit {code}");
        }
    }

    /// <summary>The client side: sends <paramref name="words"/> to a serving simulator, copies its output, returns its exit code.</summary>
    public static async Task<int> SendAsync(string socketPath, IReadOnlyList<string> words, TextWriter output)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException ex)
        {
            await output.WriteLineAsync($"hvsim: no simulator is serving at {socketPath} ({ex.SocketErrorCode}); start one with 'hvsim serve --dir DIR'");
            return 1;
        }
        // The stream is made before the half-close: NetworkStream refuses a socket that no longer reports Connected.
        using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false));
        await socket.SendAsync(Encoding.UTF8.GetBytes(string.Join('\0', words)));
        socket.Shutdown(SocketShutdown.Send);
        int code = 1;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("exit ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5), out int c))
            {
                code = c;
                continue;
            }
            await output.WriteLineAsync(line);
        }
        return code;
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
        }
    }
}
