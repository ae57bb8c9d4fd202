using System.Buffers.Binary;
using HvUtils.Fcopy;

namespace HvUtils.Fuzz.Fcopy;

/// <summary>
/// fcopy messages from spec/fcopy.md §0.3–§0.4 (offsets as in the FCOPY tests' Msg builder):
/// names from a small alphabet with every escape attempt (`..`, `/` in a name, a symlink to a
/// sibling directory, relative paths), so START, WRITE, COMPLETE interleave meaningfully.
/// </summary>
internal sealed class FcopyMessages(string sandbox, string root, bool utf16)
{
    private static readonly string[] Names = ["a.txt", "b", "c d.bin", "ü-ñ.txt", "..", ".", "x/y", "", new string('n', 259), "sub", ".hvutils-fcopy.1.tmp"];

    private readonly string[] _dirs =
    [
        root, root, root + "/sub", root + "/new/deeper", root + "/escape", root + "/escape/z", sandbox + "/outside",
        root + "/../outside", root + "/sub/../..", "relative/dir", root + "//sub", root + "/sub/", root + "/./sub", "/",
    ];

    public List<byte[]> Seeds() =>
    [
        Start("a.txt", root, 1, 0),
        Start("b", root + "/new/deeper", 2, 100),
        Start("a.txt", root, 0, 0),
        Write(0, new byte[100], 100, 6196),
        Write(6144, new byte[6144], 6144, 6196),
        Op(2, 64),
        Op(3, 64),
        Op(3, 36),
    ];

    public byte[] Generate(Random rng)
    {
        int pick = rng.Next(100);
        if (pick < 12)
        {
            string name = Names[rng.Next(Names.Length)];
            string dir = _dirs[rng.Next(_dirs.Length)];
            ulong size = rng.Next(2) == 0 ? 0 : (ulong)rng.Next(40000);
            return Start(name, dir, (uint)rng.Next(4), size);
        }
        if (pick < 80)
        {
            int size = rng.Next(4) == 0 ? 6144 : rng.Next(6145);
            ulong offset = rng.Next(50) == 0 ? (ulong)rng.NextInt64() : (ulong)rng.Next(3) * 6144 + (ulong)rng.Next(8);
            byte[] data = new byte[size];
            rng.NextBytes(data);
            return Write(offset, data, (uint)size, rng.Next(3) == 0 ? 52 + size : 6196);
        }
        return Op(pick < 92 ? 2u : pick < 99 ? 3u : (uint)rng.Next(), rng.Next(2) == 0 ? 64 : 36);
    }

    public byte[] Start(string name, string dir, uint flags, ulong size)
    {
        byte[] m = new byte[FcopyWire.StartSize];
        if (utf16)
        {
            FcopyNames.WriteUtf16(name, m.AsSpan(36, 520));
            FcopyNames.WriteUtf16(dir, m.AsSpan(556, 520));
        }
        else
        {
            FcopyNames.WriteUtf8(name, m.AsSpan(36, 520));
            FcopyNames.WriteUtf8(dir, m.AsSpan(556, 520));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(1076), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(1080), size);
        return m;
    }

    public static byte[] Write(ulong offset, ReadOnlySpan<byte> data, uint size, int length)
    {
        byte[] m = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(40), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(48), size);
        data[..Math.Min(data.Length, length - 52)].CopyTo(m.AsSpan(52));
        return m;
    }

    public static byte[] Op(uint op, int length)
    {
        byte[] m = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, op);
        return m;
    }
}
