using System.Buffers.Binary;
using System.Text;

namespace HvUtils.Fuzz.Kvp;

/// <summary>
/// KVP wire messages built by hand from spec/kvp.md §2.8 (the same layout as the KVP tests'
/// golden vectors): the seeds, and a generator over a small key alphabet so SETs collide.
/// </summary>
internal static class KvpSeeds
{
    private const string Chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. ";

    public static List<byte[]> All() =>
    [
        Set(0, "Key1", "Value1"),
        Set(1, "HostName", "vm1.contoso.local"),
        Set(2, "k", ""),
        Set(3, new string('k', 511), new string('v', 2047)),
        Get(0, "Key1"),
        Get(4, "missing"),
        Delete(0, "Key1"),
        Delete(1, new string('k', 511)),
        Enumerate(0, 0),
        Enumerate(2, 9),
        Enumerate(2, 10),
        IpInfo(4, "{6f2c8c1e-1a7b-4a63-9d5e-0b7a8f3c2d11}", 3),
        IpInfo(5, "{6f2c8c1e-1a7b-4a63-9d5e-0b7a8f3c2d11}", 1),
        New(100, 0),
    ];

    public static byte[] Generate(Random rng)
    {
        byte pool = (byte)(rng.Next(10) == 0 ? rng.Next(256) : rng.Next(5));
        string key = rng.Next(40) == 0 ? RandomText(rng, 1 + rng.Next(511)) : "k" + rng.Next(64);
        return rng.Next(20) switch
        {
            < 8 => Set(pool, key, RandomText(rng, rng.Next(4) == 0 ? rng.Next(2048) : rng.Next(40))),
            < 12 => Get(pool, key),
            < 15 => Delete(pool, key),
            < 18 => Enumerate(pool, (uint)rng.Next(rng.Next(2) == 0 ? 12 : 80)),
            < 19 => IpInfo((byte)(4 + rng.Next(2)), RandomText(rng, rng.Next(256)), (byte)rng.Next(4)),
            _ => New((byte)rng.Next(256), pool),
        };
    }

    private static string RandomText(Random rng, int length) => string.Create(length, rng, (s, r) =>
    {
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = Chars[r.Next(Chars.Length)];
        }
    });

    private static byte[] New(byte op, byte pool)
    {
        byte[] m = new byte[KvpOracle.Size];
        m[0] = op;
        m[1] = pool;
        return m;
    }

    private static byte[] Set(byte pool, string key, string value)
    {
        byte[] m = New(1, pool);
        int k = Encoding.UTF8.GetBytes(key, m.AsSpan(16, 511));
        int v = Encoding.UTF8.GetBytes(value, m.AsSpan(528, 2047));
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), (uint)k + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), (uint)v + 1);
        return m;
    }

    private static byte[] Get(byte pool, string key) => Get(pool, Encoding.UTF8.GetBytes(key));

    private static byte[] Delete(byte pool, string key) => Delete(pool, Encoding.UTF8.GetBytes(key));

    /// <summary>GET of raw key bytes (a key a mutated SET stored).</summary>
    public static byte[] Get(byte pool, ReadOnlySpan<byte> key)
    {
        byte[] m = New(0, pool);
        key[..Math.Min(key.Length, 511)].CopyTo(m.AsSpan(16));
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), (uint)Math.Min(key.Length, 511) + 1);
        return m;
    }

    /// <summary>DELETE of raw key bytes.</summary>
    public static byte[] Delete(byte pool, ReadOnlySpan<byte> key)
    {
        byte[] m = New(2, pool);
        key[..Math.Min(key.Length, 511)].CopyTo(m.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(4), (uint)Math.Min(key.Length, 511) + 1);
        return m;
    }

    private static byte[] Enumerate(byte pool, uint index)
    {
        byte[] m = New(3, pool);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(4), index);
        return m;
    }

    /// <summary>body.kvp_ip_val (§2.7): adapter id at 4 (UTF-8 here as the kernel forwards it), family at 260.</summary>
    private static byte[] IpInfo(byte op, string adapter, byte family)
    {
        byte[] m = New(op, 0);
        Encoding.UTF8.GetBytes(adapter, m.AsSpan(4, 255));
        m[260] = family;
        Encoding.UTF8.GetBytes("10.0.0.9", m.AsSpan(262));
        return m;
    }
}
