namespace HvUtils.Kvp.Auto;

/// <summary>
/// NetworkAddressIPv4/IPv6 for the AUTO pool (spec/kvp.md §6 indexes 2–3) and how a
/// change is noticed. The KVP network service may replace the default.
/// </summary>
public interface INetworkAddressSource : IDisposable
{
    /// <summary>The two values: <c>;</c>-joined addresses of all non-loopback interfaces, in getifaddrs order.</summary>
    (string IPv4, string IPv6) Addresses();

    /// <summary>A descriptor that becomes readable when addresses may have changed; -1 for none (then values are re-read per request).</summary>
    int WatchFd { get; }

    /// <summary>Consume whatever made <see cref="WatchFd"/> readable.</summary>
    void Acknowledge();
}
