namespace HvUtils.Core.Runtime;

/// <summary>Where a channel is in its device lifecycle.</summary>
public enum ChannelState
{
    /// <summary>The runner thread has not made its first attempt yet.</summary>
    Starting,

    /// <summary>The device does not exist yet (or is held by another daemon): waiting, not failing.</summary>
    Waiting,

    /// <summary>Registered with the kernel and serving requests.</summary>
    Registered,

    /// <summary>Open, registration or I/O failed; backing off before the next attempt.</summary>
    Error,

    /// <summary>The runner has stopped.</summary>
    Stopped,
}

/// <summary>A channel's state and its last request, for STATUS=, <c>hvutils status</c> and metrics.</summary>
public sealed record ChannelStatus(
    string Channel,
    ChannelState State,
    DateTimeOffset Since,
    string Detail,
    string? LastOperation,
    string? LastOutcome,
    DateTimeOffset? LastRequestAt,
    long Messages,
    long Reconnects);
