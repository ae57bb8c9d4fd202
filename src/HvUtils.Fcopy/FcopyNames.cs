using System.Text;

namespace HvUtils.Fcopy;

/// <summary>
/// Name fields of START_FILE_COPY. The legacy kernel hands the daemon UTF-8 bytes stored in
/// the u16[260] arrays (spec/fcopy.md §A.2); the UIO ring carries the host's UTF-16LE, which
/// the UIO transport converts into the same UTF-8 form (§B.7) so the copy logic sees one format.
/// </summary>
public static class FcopyNames
{
    /// <summary>
    /// Converts a UTF-16LE, NUL-terminated field of at most 260 units into NUL-terminated UTF-8
    /// in <paramref name="utf8"/> (zeroed first): surrogate pairs become one code point,
    /// unpaired surrogates are dropped (kernel utf16s_to_utf8s), and a character that would
    /// take the output past 259 bytes ends the conversion. Returns the UTF-8 length.
    /// </summary>
    public static int Utf16ToUtf8(ReadOnlySpan<byte> utf16, Span<byte> utf8)
    {
        utf8.Clear();
        int limit = Math.Min(FcopyWire.MaxNameBytes, utf8.Length - 1);
        int units = Math.Min(utf16.Length / 2, FcopyWire.MaxPathUnits);
        int o = 0;
        Span<byte> tmp = stackalloc byte[4];
        for (int i = 0; i < units; i++)
        {
            int c = utf16[2 * i] | (utf16[2 * i + 1] << 8);
            if (c == 0)
            {
                break;
            }
            int cp = c;
            if (c is >= 0xD800 and <= 0xDBFF)
            {
                int lo = i + 1 < units ? utf16[2 * i + 2] | (utf16[2 * i + 3] << 8) : 0;
                if (lo is < 0xDC00 or > 0xDFFF)
                {
                    continue;
                }
                cp = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            }
            else if (c is >= 0xDC00 and <= 0xDFFF)
            {
                continue;
            }
            int n = new Rune(cp).EncodeToUtf8(tmp);
            if (o + n > limit)
            {
                break;
            }
            tmp[..n].CopyTo(utf8[o..]);
            o += n;
        }
        return o;
    }

    /// <summary>The UTF-8 bytes of a name field up to its first NUL.</summary>
    public static ReadOnlySpan<byte> Utf8Field(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>Writes <paramref name="name"/> as UTF-16LE into a 520-byte field (host format; simulator and tests).</summary>
    public static void WriteUtf16(string name, Span<byte> field)
    {
        field.Clear();
        int units = Math.Min(name.Length, FcopyWire.MaxPathUnits - 1);
        for (int i = 0; i < units; i++)
        {
            field[2 * i] = (byte)name[i];
            field[2 * i + 1] = (byte)(name[i] >> 8);
        }
    }

    /// <summary>Writes <paramref name="name"/> as NUL-terminated UTF-8 (legacy kernel format), capped at 259 bytes.</summary>
    public static void WriteUtf8(string name, Span<byte> field)
    {
        field.Clear();
        byte[] b = Encoding.UTF8.GetBytes(name);
        b.AsSpan(0, Math.Min(b.Length, FcopyWire.MaxNameBytes)).CopyTo(field);
    }
}
