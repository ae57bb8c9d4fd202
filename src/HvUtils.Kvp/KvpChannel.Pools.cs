using HvUtils.Core.Channels;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Pools;
using HvUtils.Kvp.Wire;

namespace HvUtils.Kvp;

// SET, GET, DELETE, ENUMERATE (spec/kvp.md §3, §5.6, §6) with the status codes of issue 3 point 3.
public sealed partial class KvpChannel
{
    private HandledMessage Set(KvpRequest req, Span<byte> reply)
    {
        KvpPoolFile? pool = PoolOf(req);
        if (pool is null)
        {
            return Done(reply, "set", HvStatus.E_FAIL);
        }
        FieldError error = req.ExchangeKey(out ReadOnlySpan<byte> key);
        if (error == FieldError.None)
        {
            error = req.SetValue(out ReadOnlySpan<byte> value);
            if (error == FieldError.None)
            {
                return Done(reply, "set", StatusOf(pool.Set(key, value), notFound: HvStatus.S_CONT));
            }
        }
        _log.Refused("set", error);
        return Done(reply, "set", HvStatus.S_CONT);
    }

    private HandledMessage Get(KvpRequest req, Span<byte> reply)
    {
        KvpPoolFile? pool = PoolOf(req);
        if (pool is null)
        {
            return Done(reply, "get", HvStatus.E_FAIL);
        }
        FieldError error = req.ExchangeKey(out ReadOnlySpan<byte> key);
        if (error == FieldError.None && !req.GetValueSizeInRange)
        {
            error = FieldError.ValueSizeOutOfRange;
        }
        if (error != FieldError.None)
        {
            _log.Refused("get", error);
            return Done(reply, "get", HvStatus.S_CONT);
        }
        Span<byte> value = _record.AsSpan(0, KvpPoolFile.ValueSize);
        PoolStatus status = pool.Get(key, value);
        if (status != PoolStatus.Ok)
        {
            return Done(reply, "get", StatusOf(status, notFound: HvStatus.S_CONT));
        }
        return new HandledMessage(KvpReply.GetValue(reply, value), "get", HvStatus.Outcome(HvStatus.S_OK));
    }

    private HandledMessage Delete(KvpRequest req, Span<byte> reply)
    {
        KvpPoolFile? pool = PoolOf(req);
        if (pool is null)
        {
            return Done(reply, "delete", HvStatus.E_FAIL);
        }
        FieldError error = req.DeleteKey(out ReadOnlySpan<byte> key);
        if (error != FieldError.None)
        {
            _log.Refused("delete", error);
            return Done(reply, "delete", HvStatus.S_CONT);
        }
        return Done(reply, "delete", StatusOf(pool.Delete(key), notFound: HvStatus.S_CONT));
    }

    /// <summary>Past the last record answers HV_S_CONT: the host's normal end of list.</summary>
    private HandledMessage Enumerate(KvpRequest req, Span<byte> reply)
    {
        uint index = req.EnumerateIndex;
        if (req.Pool == KvpPools.Auto)
        {
            if (index >= AutoPool.KeyCount)
            {
                return Done(reply, "enumerate", HvStatus.S_CONT);
            }
            return new HandledMessage(KvpReply.Record(reply, AutoPool.Key((int)index), _auto.Value((int)index)), "enumerate", HvStatus.Outcome(HvStatus.S_OK));
        }
        KvpPoolFile? pool = PoolOf(req);
        if (pool is null)
        {
            return Done(reply, "enumerate", HvStatus.E_FAIL);
        }
        PoolStatus status = pool.Read(index, _record);
        if (status != PoolStatus.Ok)
        {
            return Done(reply, "enumerate", StatusOf(status, notFound: HvStatus.S_CONT));
        }
        int length = KvpReply.Record(reply, _record.AsSpan(0, KvpPoolFile.KeySize), _record.AsSpan(KvpPoolFile.KeySize, KvpPoolFile.ValueSize));
        return new HandledMessage(length, "enumerate", HvStatus.Outcome(HvStatus.S_OK));
    }

    /// <summary>Pools 0–4; anything else is refused with HV_E_FAIL (upstream indexes an array with it and crashes).</summary>
    private KvpPoolFile? PoolOf(KvpRequest req)
    {
        KvpPoolFile? pool = _pools[req.Pool];
        if (pool is null)
        {
            _log.Malformed("a pool number outside 0-4");
        }
        return pool;
    }

    /// <summary>Lock timeouts and I/O errors are HV_E_FAIL; a full or damaged pool fails the SET like upstream (HV_S_CONT).</summary>
    private static uint StatusOf(PoolStatus status, uint notFound) => status switch
    {
        PoolStatus.Ok => HvStatus.S_OK,
        PoolStatus.NotFound => notFound,
        PoolStatus.Full or PoolStatus.Damaged => HvStatus.S_CONT,
        _ => HvStatus.E_FAIL,
    };
}
