using System.Buffers.Binary;

namespace HvUtils.Fuzz.Kvp;

/// <summary>
/// An independent reading of a request from spec/kvp.md §2.8 and §5.6 (offsets written out,
/// not taken from the codec): what the key and value are, or that the request is malformed.
/// </summary>
internal static class KvpOracle
{
    public const int Size = 7432;

    /// <summary>Key of SET/GET (size at 8, key at 16) or DELETE (size at 4, key at 8): 1–512 bytes incl. a NUL inside key_size, non-empty.</summary>
    public static byte[]? Key(ReadOnlySpan<byte> m, bool delete)
    {
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(m[(delete ? 4 : 8)..]);
        if (size is 0 or > 512)
        {
            return null;
        }
        ReadOnlySpan<byte> field = m.Slice(delete ? 8 : 16, (int)size);
        int nul = field.IndexOf((byte)0);
        return nul <= 0 ? null : field[..nul].ToArray();
    }

    /// <summary>SET value: value_size ≤ 2048 at 12, value at 528 up to its first NUL, shorter than 2048.</summary>
    public static byte[]? Value(ReadOnlySpan<byte> m)
    {
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(m[12..]);
        if (size > 2048)
        {
            return null;
        }
        ReadOnlySpan<byte> raw = m.Slice(528, (int)size);
        int nul = raw.IndexOf((byte)0);
        ReadOnlySpan<byte> v = nul < 0 ? raw : raw[..nul];
        return v.Length >= 2048 ? null : v.ToArray();
    }

    public static bool GetValueSizeOk(ReadOnlySpan<byte> m) => BinaryPrimitives.ReadUInt32LittleEndian(m[12..]) <= 2048;

    public static bool IsAscii(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
        {
            if (b is 0 or >= 0x80)
            {
                return false;
            }
        }
        return true;
    }

    public static ReadOnlySpan<byte> UpToNul(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }
}
