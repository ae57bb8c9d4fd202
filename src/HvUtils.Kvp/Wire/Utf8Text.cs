using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace HvUtils.Kvp.Wire;

/// <summary>
/// NUL-terminated UTF-8 fields: reading up to the first NUL, and writing only valid
/// UTF-8 — the kernel fails the whole host reply on an invalid sequence
/// (spec/transport.md §10.2), so stored bytes that are not UTF-8 are replaced, not sent.
/// </summary>
public static class Utf8Text
{
    /// <summary>The bytes before the first NUL (all of <paramref name="field"/> when there is none).</summary>
    public static ReadOnlySpan<byte> UpToNul(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>
    /// Copies <paramref name="text"/> into <paramref name="field"/> as valid UTF-8 followed by
    /// a NUL: invalid sequences become '?', and a character that does not fit before the NUL
    /// is dropped whole. Returns the bytes written before the NUL. Allocation-free.
    /// </summary>
    public static int WriteSanitized(ReadOnlySpan<byte> text, Span<byte> field)
    {
        int limit = field.Length - 1;
        if (limit < 0)
        {
            return 0;
        }
        if (text.Length <= limit && Utf8.IsValid(text))
        {
            text.CopyTo(field);
            field[text.Length] = 0;
            return text.Length;
        }
        int written = 0;
        while (!text.IsEmpty)
        {
            OperationStatus status = System.Text.Rune.DecodeFromUtf8(text, out _, out int consumed);
            int size = status == OperationStatus.Done ? consumed : 1;
            if (written + size > limit)
            {
                break;
            }
            if (status == OperationStatus.Done)
            {
                text[..consumed].CopyTo(field[written..]);
            }
            else
            {
                field[written] = (byte)'?';
            }
            written += size;
            text = text[Math.Max(consumed, 1)..];
        }
        field[written] = 0;
        return written;
    }

    /// <summary>Writes a string as NUL-terminated UTF-8, truncated at a character boundary to fit.</summary>
    public static int WriteString(string text, Span<byte> field)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> tmp = max <= 4096 ? stackalloc byte[max] : new byte[max];
        int n = Encoding.UTF8.GetBytes(text, tmp);
        return WriteSanitized(tmp[..n], field);
    }

    /// <summary>Decodes a NUL-terminated field; invalid bytes become U+FFFD (off the message path).</summary>
    public static string ReadString(ReadOnlySpan<byte> field) => Encoding.UTF8.GetString(UpToNul(field));
}
