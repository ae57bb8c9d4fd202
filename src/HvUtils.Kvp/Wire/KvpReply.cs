using System.Buffers.Binary;

namespace HvUtils.Kvp.Wire;

/// <summary>
/// Writes replies into the runner's zeroed 7432-byte buffer: the status plus only the
/// fields the kernel reads (spec/kvp.md §3, spec/transport.md §10.2), nothing echoed.
/// </summary>
public static class KvpReply
{
    /// <summary>Bytes 0–3: the status (overwrites operation and pool).</summary>
    public static int Status(Span<byte> reply, uint status)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(reply[KvpLayout.Status..], status);
        return KvpLayout.MessageSize;
    }

    /// <summary>ENUMERATE success: key at 20 and value at 532, each valid UTF-8 and NUL-terminated.</summary>
    public static int Record(Span<byte> reply, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Utf8Text.WriteSanitized(Utf8Text.UpToNul(key), reply.Slice(KvpLayout.EnumKey, KvpLayout.MaxKeySize));
        Utf8Text.WriteSanitized(Utf8Text.UpToNul(value), reply.Slice(KvpLayout.EnumValue, KvpLayout.MaxValueSize));
        return Status(reply, 0);
    }

    /// <summary>
    /// GET success: the kernel reads the value at 532, the ENUMERATE offset (spec/kvp.md
    /// §3.2), so it goes there, NUL-terminated; bytes 528–531 stay zero.
    /// </summary>
    public static int GetValue(Span<byte> reply, ReadOnlySpan<byte> value)
    {
        Utf8Text.WriteSanitized(Utf8Text.UpToNul(value), reply.Slice(KvpLayout.EnumValue, KvpLayout.MaxValueSize));
        return Status(reply, 0);
    }
}
