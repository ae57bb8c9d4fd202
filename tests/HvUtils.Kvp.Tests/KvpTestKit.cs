using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Interop;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Pools;
using HvUtils.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests;

/// <summary>Hand-built wire messages (offsets written out from spec/kvp.md §2.8, not taken from the codec) and a channel on a temp pool directory.</summary>
internal static class Msg
{
    public const int Size = 7432;

    public static byte[] New(byte op, byte pool)
    {
        byte[] m = new byte[Size];
        m[0] = op;
        m[1] = pool;
        return m;
    }

    public static byte[] U32(this byte[] m, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(offset), value);
        return m;
    }

    public static byte[] Str(this byte[] m, int offset, string s)
    {
        Encoding.UTF8.GetBytes(s, m.AsSpan(offset));
        return m;
    }

    public static byte[] Set(byte pool, string key, string value) =>
        New(1, pool).U32(8, (uint)Encoding.UTF8.GetByteCount(key) + 1).Str(16, key).U32(12, (uint)Encoding.UTF8.GetByteCount(value) + 1).Str(528, value);

    public static byte[] Get(byte pool, string key) => New(0, pool).U32(8, (uint)Encoding.UTF8.GetByteCount(key) + 1).Str(16, key);

    public static byte[] Delete(byte pool, string key) => New(2, pool).U32(4, (uint)Encoding.UTF8.GetByteCount(key) + 1).Str(8, key);

    public static byte[] Enumerate(byte pool, uint index) => New(3, pool).U32(4, index);

    public static uint Status(byte[] reply) => BinaryPrimitives.ReadUInt32LittleEndian(reply);

    public static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>One record as the C daemon writes it: key and value NUL padded to 512 and 2048 bytes.</summary>
    public static byte[] Record(string key, string value)
    {
        byte[] r = new byte[2560];
        Encoding.UTF8.GetBytes(key, r);
        Encoding.UTF8.GetBytes(value, r.AsSpan(512));
        return r;
    }
}

internal sealed class FakeHostName(string name) : IHostNameSource
{
    public string Name { get; set; } = name;

    public int WatchFd { get; } = Native.EventFd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);

    public uint WatchEvents => Native.EPOLLIN;

    public string FullyQualifiedDomainName() => Name;

    public void Acknowledge() => Native.EventFdDrain(WatchFd);

    public void Dispose() => Native.Close(WatchFd);
}

internal sealed class FakeAddresses(string v4, string v6) : INetworkAddressSource
{
    public int Calls { get; private set; }

    public int WatchFd => -1;

    public (string IPv4, string IPv6) Addresses()
    {
        Calls++;
        return (v4, v6);
    }

    public void Acknowledge()
    {
    }

    public void Dispose()
    {
    }
}

internal sealed class FakeIpInfo : IIpInfoProvider
{
    public IpInfo? LastSet { get; private set; }

    public string? LastAdapter { get; private set; }

    public IpInfo Answer { get; set; } = new(0, "00:15:5D:00:01:02", 3, 1, "10.0.0.4;fe80::1", "255.255.255.0;/64", "10.0.0.1;", "10.0.0.2;");

    public IpInfo GetIpInfo(string adapterId, byte addressFamily)
    {
        LastAdapter = adapterId;
        return Answer;
    }

    public uint SetIpInfo(IpInfo request)
    {
        LastSet = request;
        return 0x80041002;
    }
}

/// <summary>A KvpChannel over a temp pool directory with fake AUTO sources.</summary>
internal sealed class ChannelRig : IDisposable
{
    private readonly TempDirectory _dir = new("hvutils-kvp-");

    public ChannelRig(int maxRecords = 65536, TimeSpan? lockTimeout = null)
    {
        var options = new KvpOptions { PoolDirectory = _dir.Combine("pools"), DevicePath = "/nonexistent/hv_kvp" };
        Pools = new KvpPoolSet(options.PoolDirectory, new PoolFileSettings(lockTimeout ?? TimeSpan.FromSeconds(2), maxRecords, true, NullLogger.Instance));
        Auto = new AutoPool(OsInfo.From("Linux", "6.8.0-45-generic", "x86_64", "NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n", null), HostName, Addresses);
        Channel = new KvpChannel(Options.Create(options), Pools, Auto, IpInfo, NullLogger<KvpChannel>.Instance);
    }

    public FakeHostName HostName { get; } = new("vm1.contoso.local");

    public FakeAddresses Addresses { get; } = new("10.0.0.4;172.17.0.1", "fe80::215:5dff:fe00:101");

    public FakeIpInfo IpInfo { get; } = new();

    public KvpPoolSet Pools { get; }

    public AutoPool Auto { get; }

    public KvpChannel Channel { get; }

    public string PoolFile(int pool) => KvpPoolSet.FilePath(Pools.Directory, pool);

    /// <summary>What the runner does: a zeroed reply buffer, one Handle call.</summary>
    public byte[] Send(byte[] request)
    {
        byte[] reply = new byte[Msg.Size];
        int n = Channel.Handle(request, reply).ReplyLength;
        Assert.Equal(Msg.Size, n);
        return reply;
    }

    public void Dispose()
    {
        Pools.Dispose();
        Auto.Dispose();
        _dir.Dispose();
    }
}
