using System.Text;

namespace HvUtils.Integration.Tests.Faults;

/// <summary>KVP pool file records as stored (spec/kvp.md: 512-byte key + 2048-byte value, NUL padded), for building and checking pool files.</summary>
public static class PoolFiles
{
    public const int KeySize = 512;
    public const int RecordSize = 2560;

    public static byte[] Record(string key, string value)
    {
        byte[] r = new byte[RecordSize];
        Encoding.UTF8.GetBytes(key, r);
        Encoding.UTF8.GetBytes(value, r.AsSpan(KeySize));
        return r;
    }

    /// <summary>Every whole record of <paramref name="path"/> as (key, value); asserts the file holds whole records only.</summary>
    public static List<(string Key, string Value)> ReadWhole(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length % RecordSize == 0, $"{path} is {bytes.Length} bytes: a partial record is visible");
        var records = new List<(string, string)>();
        for (int at = 0; at < bytes.Length; at += RecordSize)
        {
            records.Add((Text(bytes.AsSpan(at, KeySize)), Text(bytes.AsSpan(at + KeySize, RecordSize - KeySize))));
        }
        return records;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }
}
