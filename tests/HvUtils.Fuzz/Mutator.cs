using System.Buffers.Binary;

namespace HvUtils.Fuzz;

/// <summary>
/// Picks the next message: mostly a well-formed message or a golden vector with a few
/// mutations (bit flips, random bytes, boundary values in size fields, truncation,
/// extension, splices), sometimes pure random bytes. Deterministic for a given seed.
/// </summary>
public sealed class Mutator(IChannelHarness harness, int seed)
{
    /// <summary>Values at the edges of every size check: 0, 1, the field sizes ± 1, sign and width limits.</summary>
    private static readonly uint[] Interesting =
    [
        0, 1, 2, 4, 7, 8, 12, 35, 36, 63, 64, 255, 256, 259, 260, 511, 512, 513, 520, 1087, 1088, 2047, 2048, 2049,
        6143, 6144, 6145, 6196, 7431, 7432, 8192, 65535, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF,
    ];

    private readonly Random _rng = new(seed);

    public Random Random => _rng;

    public byte[] Next()
    {
        int pick = _rng.Next(100);
        if (pick < 5)
        {
            byte[] noise = new byte[_rng.Next(harness.MaxMessageSize + 1)];
            _rng.NextBytes(noise);
            return noise;
        }
        byte[] m = pick < 55 ? harness.Generate(_rng) : pick < 70 ? (byte[])harness.Seeds[_rng.Next(harness.Seeds.Count)].Clone() : harness.Generate(_rng);
        if (pick >= 55)
        {
            int n = 1 + _rng.Next(_rng.Next(2) == 0 ? 2 : 8);
            for (int i = 0; i < n; i++)
            {
                m = Mutate(m);
            }
        }
        return m;
    }

    private byte[] Mutate(byte[] m)
    {
        switch (_rng.Next(9))
        {
            case 0 when m.Length > 0:
                m[_rng.Next(m.Length)] ^= (byte)(1 << _rng.Next(8));
                return m;
            case 1 when m.Length > 0:
                m[_rng.Next(m.Length)] = (byte)_rng.Next(256);
                return m;
            case 2 or 3:
                {
                    var fields = harness.FieldOffsets;
                    int at = fields.Count > 0 && _rng.Next(4) != 0 ? fields[_rng.Next(fields.Count)] : _rng.Next(Math.Max(1, m.Length));
                    uint v = Interesting[_rng.Next(Interesting.Length)];
                    if (at + 4 <= m.Length)
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(at), v);
                    }
                    return m;
                }
            case 4:
                return m[.._rng.Next(m.Length + 1)];
            case 5:
                {
                    int extra = Math.Min(_rng.Next(64), harness.MaxMessageSize - m.Length);
                    if (extra <= 0)
                    {
                        return m;
                    }
                    byte[] longer = new byte[m.Length + extra];
                    m.CopyTo(longer, 0);
                    _rng.NextBytes(longer.AsSpan(m.Length));
                    return longer;
                }
            case 6 when m.Length > 0:
                {
                    // A run of NULs or 0xFF across a name or a size field.
                    int at = _rng.Next(m.Length);
                    m.AsSpan(at, Math.Min(m.Length - at, 1 + _rng.Next(16))).Fill(_rng.Next(2) == 0 ? (byte)0 : (byte)0xFF);
                    return m;
                }
            case 7:
                {
                    // Splice: the tail of another seed over this message.
                    byte[] other = harness.Seeds[_rng.Next(harness.Seeds.Count)];
                    int at = _rng.Next(Math.Min(m.Length, other.Length) + 1);
                    other.AsSpan(at, Math.Min(other.Length, m.Length) - at).CopyTo(m.AsSpan(at));
                    return m;
                }
            default:
                if (m.Length > 0)
                {
                    // A high-bit / non-UTF-8 byte inside the first part (names, keys).
                    m[_rng.Next(Math.Min(m.Length, 1200))] = (byte)(0x80 + _rng.Next(128));
                }
                return m;
        }
    }
}
