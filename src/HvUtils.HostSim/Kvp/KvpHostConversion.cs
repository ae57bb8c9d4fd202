using System.Buffers.Binary;
using System.Text;

namespace HvUtils.HostSim.Kvp;

/// <summary>
/// The kernel's KVP string conversions between the host's UTF-16 packets and the
/// daemon's UTF-8 <c>hv_kvp_msg</c> (spec/transport.md §10), written independently of
/// the daemon's codec so the simulator checks it rather than mirrors it.
/// </summary>
public static class KvpHostConversion
{
    public const int MessageSize = 7432;
    public const uint RegSz = 1;
    public const uint RegU32 = 4;
    public const uint RegU64 = 8;

    /// <summary>
    /// utf16s_to_utf8s: stops at U+0000, drops unpaired surrogates, and ends the conversion
    /// at the first character that does not fit in <paramref name="maxBytes"/> (late-2025 kernels).
    /// </summary>
    public static byte[] HostStringToUtf8(string host, int maxBytes)
    {
        var output = new List<byte>(Math.Min(maxBytes, host.Length * 3));
        Span<byte> buf = stackalloc byte[4];
        for (int i = 0; i < host.Length; i++)
        {
            char c = host[i];
            if (c == '\0')
            {
                break;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < host.Length && char.IsLowSurrogate(host[i + 1]))
            {
                rune = new Rune(c, host[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                continue;
            }
            else
            {
                rune = new Rune(c);
            }
            int n = rune.EncodeToUtf8(buf);
            if (output.Count + n > maxBytes)
            {
                break;
            }
            output.AddRange(buf[..n].ToArray());
        }
        return [.. output];
    }

    /// <summary>The daemon message for a host SET/GET (key at 16, value at 528): key ≤ 511 bytes, value per type (§10.1).</summary>
    public static byte[] ExchangeMessage(byte operation, byte pool, string key, string? value = null, uint valueType = RegSz, ulong number = 0)
    {
        byte[] m = NewMessage(operation, pool);
        WriteKey(m, 8, 16, key);
        byte[]? v = valueType switch
        {
            RegSz when value is not null => HostStringToUtf8(value, 2047),
            RegU32 => Encoding.ASCII.GetBytes(((uint)number).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RegU64 => Encoding.ASCII.GetBytes(number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => null,
        };
        if (v is not null)
        {
            v.CopyTo(m, 528);
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), (uint)v.Length + 1);
        }
        return m;
    }

    /// <summary>The daemon message for a host DELETE (key_size at 4, key at 8).</summary>
    public static byte[] DeleteMessage(byte pool, string key)
    {
        byte[] m = NewMessage(2, pool);
        WriteKey(m, 4, 8, key);
        return m;
    }

    /// <summary>The daemon message for a host ENUMERATE (index at 4).</summary>
    public static byte[] EnumerateMessage(byte pool, uint index)
    {
        byte[] m = NewMessage(3, pool);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(4), index);
        return m;
    }

    private static byte[] NewMessage(byte operation, byte pool)
    {
        byte[] m = new byte[MessageSize];
        m[0] = operation;
        m[1] = pool;
        return m;
    }

    /// <summary>The key converted like the kernel (≤ 511 bytes) with its size including the NUL.</summary>
    private static void WriteKey(byte[] m, int sizeOffset, int keyOffset, string key)
    {
        byte[] k = HostStringToUtf8(key, 511);
        k.CopyTo(m, keyOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(sizeOffset), (uint)k.Length + 1);
    }

    /// <summary>
    /// utf8s_to_utf16s on a reply field: up to the NUL, at most <paramref name="maxUnits"/>
    /// UTF-16 units; null when the bytes are not valid UTF-8 (the kernel then fails the
    /// host request with HV_E_FAIL).
    /// </summary>
    public static string? ReplyStringToHost(ReadOnlySpan<byte> field, int maxUnits)
    {
        int nul = field.IndexOf((byte)0);
        ReadOnlySpan<byte> text = nul < 0 ? field : field[..nul];
        if (!System.Text.Unicode.Utf8.IsValid(text))
        {
            return null;
        }
        string s = Encoding.UTF8.GetString(text);
        if (s.Length > maxUnits)
        {
            s = s[..(char.IsHighSurrogate(s[maxUnits - 1]) ? maxUnits - 1 : maxUnits)];
        }
        return s;
    }
}
