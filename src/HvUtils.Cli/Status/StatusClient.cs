using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HvUtils.Core.Status;

namespace HvUtils.Cli.Status;

public enum StatusOutcome
{
    Ok,
    NotRunning,
    PermissionDenied,
    Failed,
}

/// <summary>The daemon's answer: the JSON document, or why there is none.</summary>
public sealed record StatusReply(StatusOutcome Outcome, string? Json, string Detail);

/// <summary>One request line on the control socket, one JSON document back (ControlSocket protocol).</summary>
public static class StatusClient
{
    public static StatusReply Query(string socketPath, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new StatusReply(StatusOutcome.NotRunning, null, $"nothing listens on {socketPath}");
        }
        catch (SocketException ex) when (ex.SocketErrorCode != SocketError.AccessDenied)
        {
            // ENOENT and friends: no socket file, so no daemon (or a different Runtime:Directory).
            return new StatusReply(StatusOutcome.NotRunning, null, $"no control socket at {socketPath}");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
        {
            return new StatusReply(StatusOutcome.PermissionDenied, null, $"permission denied on {socketPath}");
        }
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(ControlSocket.StatusRequest + "\n"));
            string json = ReadToEnd(socket).Trim();
            return Interpret(json);
        }
        catch (SocketException ex)
        {
            return new StatusReply(StatusOutcome.Failed, null, ex.Message);
        }
    }

    private static string ReadToEnd(Socket socket)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = socket.Receive(chunk)) > 0)
        {
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static StatusReply Interpret(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("error", out JsonElement error))
            {
                string message = error.GetString() ?? "error";
                return new StatusReply(message.StartsWith("permission denied", StringComparison.Ordinal) ? StatusOutcome.PermissionDenied : StatusOutcome.Failed,
                    null, message);
            }
            return new StatusReply(StatusOutcome.Ok, json, "");
        }
        catch (JsonException ex)
        {
            return new StatusReply(StatusOutcome.Failed, null, $"unreadable answer: {ex.Message}");
        }
    }
}
