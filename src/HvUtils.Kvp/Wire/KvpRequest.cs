using System.Buffers.Binary;

namespace HvUtils.Kvp.Wire;

/// <summary>Why a request's key or value was refused (spec/kvp.md §5.6; issue 3 point 3).</summary>
public enum FieldError
{
    None,
    KeySizeOutOfRange,
    KeyNotTerminated,
    EmptyKey,
    ValueSizeOutOfRange,
    ValueTooLong,
}

/// <summary>
/// Read-only view of one daemon-side request (spec/kvp.md §2.8, §3). Every accessor
/// bounds-checks against the fixed layout; the message is exactly 7432 bytes.
/// </summary>
public readonly ref struct KvpRequest(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _m = message;

    public bool HasValidLength => _m.Length == KvpLayout.MessageSize;

    public byte Operation => _m[KvpLayout.Operation];

    public byte Pool => _m[KvpLayout.Pool];

    public uint EnumerateIndex => BinaryPrimitives.ReadUInt32LittleEndian(_m[KvpLayout.EnumIndex..]);

    /// <summary>SET/GET key: <c>key_size</c> at 8, key at 16.</summary>
    public FieldError ExchangeKey(out ReadOnlySpan<byte> key) =>
        ParseKey(BinaryPrimitives.ReadUInt32LittleEndian(_m[KvpLayout.KeySize..]), _m.Slice(KvpLayout.Key, KvpLayout.MaxKeySize), out key);

    /// <summary>DELETE key: <c>key_size</c> at 4, key at 8.</summary>
    public FieldError DeleteKey(out ReadOnlySpan<byte> key) =>
        ParseKey(BinaryPrimitives.ReadUInt32LittleEndian(_m[KvpLayout.DeleteKeySize..]), _m.Slice(KvpLayout.DeleteKey, KvpLayout.MaxKeySize), out key);

    /// <summary>
    /// SET value: <c>value_size</c> at 12, value at 528. Size 0 is an empty value; the
    /// value ends at its first NUL within <c>value_size</c> and must leave room for the
    /// NUL in the 2048-byte record field.
    /// </summary>
    public FieldError SetValue(out ReadOnlySpan<byte> value)
    {
        value = default;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(_m[KvpLayout.ValueSize..]);
        if (size > KvpLayout.MaxValueSize)
        {
            return FieldError.ValueSizeOutOfRange;
        }
        ReadOnlySpan<byte> raw = _m.Slice(KvpLayout.Value, (int)size);
        int nul = raw.IndexOf((byte)0);
        value = nul < 0 ? raw : raw[..nul];
        return value.Length >= KvpLayout.MaxValueSize ? FieldError.ValueTooLong : FieldError.None;
    }

    /// <summary>GET carries <c>value_size</c> 0 from the kernel; anything over 2048 is malformed.</summary>
    public bool GetValueSizeInRange => BinaryPrimitives.ReadUInt32LittleEndian(_m[KvpLayout.ValueSize..]) <= KvpLayout.MaxValueSize;

    /// <summary>A key is 1–512 bytes including a NUL inside that size; it is compared up to the NUL.</summary>
    private static FieldError ParseKey(uint size, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (size is 0 or > KvpLayout.MaxKeySize)
        {
            return FieldError.KeySizeOutOfRange;
        }
        int nul = field[..(int)size].IndexOf((byte)0);
        if (nul < 0)
        {
            return FieldError.KeyNotTerminated;
        }
        if (nul == 0)
        {
            return FieldError.EmptyKey;
        }
        key = field[..nul];
        return FieldError.None;
    }
}
