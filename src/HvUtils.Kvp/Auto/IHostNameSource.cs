namespace HvUtils.Kvp.Auto;

/// <summary>
/// Where FullyQualifiedDomainName comes from (spec/kvp.md §6 index 0), and how a change
/// is noticed: a descriptor the channel's epoll set watches. Injectable for tests.
/// </summary>
public interface IHostNameSource : IDisposable
{
    /// <summary>The value for the AUTO key (the canonical name, or the C daemon's "getaddrinfo failed: …" text).</summary>
    string FullyQualifiedDomainName();

    /// <summary>A descriptor that becomes ready (with <see cref="WatchEvents"/>) when the host name changes; -1 for none.</summary>
    int WatchFd { get; }

    uint WatchEvents { get; }

    /// <summary>Called when <see cref="WatchFd"/> was ready: consume the event.</summary>
    void Acknowledge();
}
