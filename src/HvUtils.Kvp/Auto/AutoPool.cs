using System.Text;
using HvUtils.Core.Channels;

namespace HvUtils.Kvp.Auto;

/// <summary>
/// The AUTO pool (pool 2): the ten fixed keys of spec/kvp.md §6, answered from cached
/// UTF-8 values so an ENUMERATE costs nothing beyond its read and write. The host name
/// and the addresses are refreshed when their watch descriptors fire (on the channel
/// thread); the OS values are collected once; IntegrationServicesVersion comes from
/// the handshake.
/// </summary>
public sealed class AutoPool : IDisposable
{
    public const int KeyCount = 10;

    private static readonly byte[][] Keys =
    [
        "FullyQualifiedDomainName"u8.ToArray(),
        "IntegrationServicesVersion"u8.ToArray(),
        "NetworkAddressIPv4"u8.ToArray(),
        "NetworkAddressIPv6"u8.ToArray(),
        "OSBuildNumber"u8.ToArray(),
        "OSName"u8.ToArray(),
        "OSMajorVersion"u8.ToArray(),
        "OSMinorVersion"u8.ToArray(),
        "OSVersion"u8.ToArray(),
        "ProcessorArchitecture"u8.ToArray(),
    ];

    private readonly byte[][] _values = new byte[KeyCount][];
    private readonly IHostNameSource _hostName;
    private readonly INetworkAddressSource _addresses;

    public AutoPool(OsInfo os, IHostNameSource hostName, INetworkAddressSource addresses)
    {
        _hostName = hostName;
        _addresses = addresses;
        Set(1, "Unknown version");
        Set(4, os.BuildNumber);
        Set(5, os.Name);
        Set(6, os.MajorVersion);
        Set(7, os.MinorVersion);
        Set(8, os.Version);
        Set(9, os.Architecture);
        RefreshHostName();
        RefreshAddresses();
        var sources = new List<ChannelEventSource>();
        if (hostName.WatchFd >= 0)
        {
            sources.Add(new ChannelEventSource(hostName.WatchFd, hostName.WatchEvents, () =>
            {
                hostName.Acknowledge();
                RefreshHostName();
            }));
        }
        if (addresses.WatchFd >= 0)
        {
            sources.Add(new ChannelEventSource(addresses.WatchFd, Core.Interop.Native.EPOLLIN, () =>
            {
                addresses.Acknowledge();
                RefreshAddresses();
            }));
        }
        EventSources = sources;
    }

    /// <summary>The watches to add to the channel's epoll set.</summary>
    public IReadOnlyList<ChannelEventSource> EventSources { get; }

    /// <summary>Times FullyQualifiedDomainName was recomputed after start-up.</summary>
    public int HostNameRefreshes { get; private set; }

    public static ReadOnlySpan<byte> Key(int index) => Keys[index];

    public ReadOnlySpan<byte> Value(int index) => _values[index];

    public string ValueText(int index) => Encoding.UTF8.GetString(_values[index]);

    /// <summary>The version string from the kernel's handshake reply (spec/transport.md §7.1).</summary>
    public void SetIntegrationServicesVersion(string? version) => Set(1, string.IsNullOrEmpty(version) ? "Unknown version" : version);

    public void RefreshHostName()
    {
        if (_values[0] is not null)
        {
            HostNameRefreshes++;
        }
        Set(0, _hostName.FullyQualifiedDomainName());
    }

    public void RefreshAddresses()
    {
        (string v4, string v6) = _addresses.Addresses();
        Set(2, v4);
        Set(3, v6);
    }

    /// <summary>Values are stored as the bytes the reply carries: valid UTF-8, at most 2047 bytes.</summary>
    private void Set(int index, string value)
    {
        byte[] field = new byte[Wire.KvpLayout.MaxValueSize];
        int n = Wire.Utf8Text.WriteString(value, field);
        _values[index] = field[..n];
    }

    public void Dispose()
    {
        _hostName.Dispose();
        _addresses.Dispose();
    }
}
