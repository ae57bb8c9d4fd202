using System.Buffers.Binary;
using System.Text;

namespace HvUtils.Fcopy.Tests;

/// <summary>Builds daemon-side fcopy messages by hand (offsets from spec/fcopy.md §0.3–§0.4, not from FcopyWire).</summary>
internal static class Msg
{
    public static byte[] Start(string name, string path, uint flags, ulong size = 0)
    {
        byte[] m = new byte[1088];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 0);
        Encoding.UTF8.GetBytes(name).CopyTo(m, 36);
        Encoding.UTF8.GetBytes(path).CopyTo(m, 556);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(1076), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(1080), size);
        return m;
    }

    public static byte[] Write(ulong offset, ReadOnlySpan<byte> data, uint? size = null, int length = 6196)
    {
        byte[] m = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(40), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(48), size ?? (uint)data.Length);
        data.CopyTo(m.AsSpan(52));
        return m;
    }

    public static byte[] Op(uint op, int length = 64)
    {
        byte[] m = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, op);
        return m;
    }

    public static byte[] Random(int n, int seed)
    {
        byte[] b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
