using HvUtils.Core.Transport;

namespace HvUtils.Core.Channels;

/// <summary>
/// The plug a service implements (design.md): its device, its registration handshake
/// and request → reply. It knows nothing of epoll, threads, hosting or exporters; the
/// <see cref="Runtime.ChannelRunner"/> calls it on one thread, one message at a time.
/// </summary>
public interface IHvChannel
{
    /// <summary>Short lower-case name: "kvp", "vss", "fcopy" (metric attribute and log scope).</summary>
    string Name { get; }

    /// <summary>Where the device is and how to open it.</summary>
    IDeviceEndpoint Device { get; }

    /// <summary>Read buffer size: at least the largest legal message (spec/transport.md §12).</summary>
    int MaxMessageSize { get; }

    /// <summary>Reply buffer size: the largest reply the channel writes.</summary>
    int MaxReplySize { get; }

    /// <summary>How long one request may legitimately take (a freeze running its hooks) before the loop counts as hung.</summary>
    TimeSpan MaxHandleDuration => TimeSpan.FromMinutes(1);

    /// <summary>Descriptors the channel wants watched while connected (a hostname change, a freeze deadline).</summary>
    IReadOnlyList<ChannelEventSource> EventSources => [];

    /// <summary>Writes the registration message into a zeroed buffer and returns its length (spec/transport.md §7).</summary>
    int WriteRegistration(Span<byte> message);

    /// <summary>Checks the kernel's handshake reply; false resets the connection.</summary>
    bool AcceptRegistrationReply(ReadOnlySpan<byte> reply);

    /// <summary>
    /// Turns one request into one reply written into <paramref name="reply"/> (zeroed,
    /// <see cref="MaxReplySize"/> bytes). Must not throw for any input.
    /// </summary>
    HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply);

    /// <summary>The reply sent when <see cref="Handle"/> failed unexpectedly: the protocol's error status.</summary>
    int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply);

    /// <summary>The connection closed (error, reopen, hibernation, shutdown): drop in-flight state (thaw, remove a partial copy).</summary>
    void OnConnectionReset();
}

/// <summary>
/// What one request produced: the reply length (0 = send nothing) and, for metrics and logs, the operation and its outcome.
/// <paramref name="ResetDevice"/> asks the runner to close and reopen the device after the reply (a malformed message, spec/vss.md §8).
/// </summary>
public readonly record struct HandledMessage(int ReplyLength, string Operation, string Outcome, bool ResetDevice = false);

/// <summary>A descriptor the runner adds to the channel's epoll set; <paramref name="OnReady"/> runs on the channel thread.</summary>
public sealed record ChannelEventSource(int Fd, uint Events, Action OnReady);
