using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Kvp.Auto;

namespace HvUtils.Fuzz.Kvp;

// The status each 7432-byte request must get (spec/kvp.md §3, issue 3 point 3), and the model update on success.
public sealed partial class KvpHarness
{
    private string? Check(ReadOnlySpan<byte> m, uint status)
    {
        byte op = m[0];
        int pool = m[1];
        bool poolOk = pool < 5;
        switch (op)
        {
            case 0:
                return poolOk ? CheckGet(m, pool, status) : Expect(status, HvStatus.E_FAIL);
            case 1:
                return poolOk ? CheckSet(m, pool, status) : Expect(status, HvStatus.E_FAIL);
            case 2:
                return poolOk ? CheckDelete(m, pool, status) : Expect(status, HvStatus.E_FAIL);
            case 3:
                return CheckEnumerate(m, pool, status);
            case 4:
                return Expect(status, HvStatus.S_OK);
            case 5:
                return Expect(status, FixedIpInfo.SetStatus);
            default:
                return Expect(status, HvStatus.ERROR_NOT_SUPPORTED);
        }
    }

    private string? CheckSet(ReadOnlySpan<byte> m, int pool, uint status)
    {
        byte[]? key = KvpOracle.Key(m, delete: false);
        byte[]? value = key is null ? null : KvpOracle.Value(m);
        if (key is null || value is null)
        {
            return Expect(status, HvStatus.S_CONT);
        }
        var model = _model[pool];
        string k = Text(key);
        if (!model.ContainsKey(k) && model.Count >= MaxRecords)
        {
            return Expect(status, HvStatus.S_CONT);
        }
        string? wrong = Expect(status, HvStatus.S_OK);
        if (wrong is null)
        {
            model[k] = value;
        }
        return wrong;
    }

    private string? CheckGet(ReadOnlySpan<byte> m, int pool, uint status)
    {
        byte[]? key = KvpOracle.Key(m, delete: false);
        if (key is null || !KvpOracle.GetValueSizeOk(m) || !_model[pool].TryGetValue(Text(key), out byte[]? value))
        {
            return Expect(status, HvStatus.S_CONT);
        }
        if (status != HvStatus.S_OK)
        {
            return Expect(status, HvStatus.S_OK);
        }
        // The kernel reads a GET's value at 532 (spec/kvp.md §3.2); it is sanitised UTF-8, so compare ASCII values exactly.
        ReadOnlySpan<byte> got = KvpOracle.UpToNul(_reply.AsSpan(532, 2048));
        return KvpOracle.IsAscii(value) && !got.SequenceEqual(value) ? "GET returned a value other than the last acknowledged SET" : null;
    }

    private string? CheckDelete(ReadOnlySpan<byte> m, int pool, uint status)
    {
        byte[]? key = KvpOracle.Key(m, delete: true);
        if (key is null || !_model[pool].ContainsKey(Text(key)))
        {
            return Expect(status, HvStatus.S_CONT);
        }
        string? wrong = Expect(status, HvStatus.S_OK);
        if (wrong is null)
        {
            _model[pool].Remove(Text(key));
        }
        return wrong;
    }

    private string? CheckEnumerate(ReadOnlySpan<byte> m, int pool, uint status)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(m[4..]);
        if (pool == 2)
        {
            return Expect(status, index < AutoPool.KeyCount ? HvStatus.S_OK : HvStatus.S_CONT);
        }
        if (pool >= 5)
        {
            return Expect(status, HvStatus.E_FAIL);
        }
        var model = _model[pool];
        if (index >= model.Count)
        {
            return Expect(status, HvStatus.S_CONT);
        }
        if (status != HvStatus.S_OK)
        {
            return Expect(status, HvStatus.S_OK);
        }
        byte[] key = KvpOracle.UpToNul(_reply.AsSpan(20, 512)).ToArray();
        // Keys are sanitised to UTF-8 on the way out ('?' for bad bytes): only clean keys can be looked up.
        if (!KvpOracle.IsAscii(key) || key.AsSpan().Contains((byte)'?'))
        {
            return null;
        }
        if (!model.TryGetValue(Text(key), out byte[]? value))
        {
            return $"ENUMERATE {index} returned key '{Text(key)}' that no acknowledged SET wrote";
        }
        ReadOnlySpan<byte> got = KvpOracle.UpToNul(_reply.AsSpan(532, 2048));
        return KvpOracle.IsAscii(value) && !got.SequenceEqual(value) ? $"ENUMERATE {index} returned a stale value for '{Text(key)}'" : null;
    }
}
