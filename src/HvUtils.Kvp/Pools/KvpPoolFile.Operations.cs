using HvUtils.Core.Interop;
using Microsoft.Extensions.Logging;

namespace HvUtils.Kvp.Pools;

// SET, GET, DELETE and read-by-index (spec/kvp.md §5.6), each under both locks.
public sealed partial class KvpPoolFile
{
    /// <summary>
    /// Adds or modifies a record. An existing record gets only its 2048-byte value field
    /// rewritten (value + zero fill: no old tail); a new one is one 2560-byte write at
    /// the end. A crash leaves the old or the new record, never a torn one.
    /// </summary>
    public PoolStatus Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.IsEmpty || key.Length >= KeySize || value.Length >= ValueSize)
        {
            return PoolStatus.NotFound;
        }
        PoolStatus begun = Begin(exclusive: true);
        if (begun != PoolStatus.Ok)
        {
            return begun;
        }
        try
        {
            int slot = FindVerified(key);
            if (slot == -2)
            {
                return PoolStatus.IoError;
            }
            return slot >= 0 ? Overwrite(slot, value) : Append(key, value);
        }
        finally
        {
            End();
        }
    }

    private PoolStatus Overwrite(int slot, ReadOnlySpan<byte> value)
    {
        Span<byte> field = _record.AsSpan(0, ValueSize);
        field.Clear();
        value.CopyTo(field);
        if (RequireSuccess(Native.PWriteAll(_fd, field, Offset(slot) + KeySize), ValueSize, "writing") < 0)
        {
            return PoolStatus.IoError;
        }
        AfterWrite();
        return PoolStatus.Ok;
    }

    private PoolStatus Append(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_fileRecords > _index.Count)
        {
            return Refuse(PoolStatus.Damaged, "a new key");
        }
        if (_index.Count >= _settings.MaxRecords)
        {
            return Refuse(PoolStatus.Full, "a new key");
        }
        Span<byte> record = _record.AsSpan(0, RecordSize + _tailBytes);
        record.Clear();
        key.CopyTo(record);
        value.CopyTo(record[KeySize..]);
        long at = Offset(_fileRecords);
        // A partial record left at the end by someone else is kept: it moves behind the new record in the same write.
        if (_tailBytes > 0 && Native.PRead(_fd, record[RecordSize..], at) != _tailBytes)
        {
            return PoolStatus.IoError;
        }
        if (RequireSuccess(Native.PWriteAll(_fd, record, at), record.Length, "appending to") < 0)
        {
            Native.FTruncate(_fd, at + _tailBytes);
            _trusted = false;
            return PoolStatus.IoError;
        }
        _index.Add(key);
        _fileRecords++;
        RecordCount = _index.VisibleCount;
        AfterWrite();
        return PoolStatus.Ok;
    }

    /// <summary>Copies the value of <paramref name="key"/> (2048 bytes, NUL padded as stored) into <paramref name="value"/>.</summary>
    public PoolStatus Get(ReadOnlySpan<byte> key, Span<byte> value)
    {
        PoolStatus begun = Begin(exclusive: false);
        if (begun != PoolStatus.Ok)
        {
            return begun;
        }
        try
        {
            int slot = _index.Find(key);
            if (slot < 0)
            {
                return PoolStatus.NotFound;
            }
            return Native.PRead(_fd, value[..ValueSize], Offset(slot) + KeySize) == ValueSize ? PoolStatus.Ok : PoolStatus.IoError;
        }
        finally
        {
            End();
        }
    }

    /// <summary>Copies the <paramref name="index"/>-th distinct record (2560 bytes as stored) into <paramref name="record"/>.</summary>
    public PoolStatus Read(uint index, Span<byte> record)
    {
        PoolStatus begun = Begin(exclusive: false);
        if (begun != PoolStatus.Ok)
        {
            return begun;
        }
        try
        {
            if (index >= (uint)_index.VisibleCount)
            {
                return PoolStatus.NotFound;
            }
            int slot = _index.VisibleSlot((int)index);
            return Native.PRead(_fd, record[..RecordSize], Offset(slot)) == RecordSize ? PoolStatus.Ok : PoolStatus.IoError;
        }
        finally
        {
            End();
        }
    }

    /// <summary>
    /// Deletes every record holding <paramref name="key"/>: the last record moves into the
    /// hole, then the file is truncated by one record. A crash between the two leaves an
    /// identical duplicate, which readers collapse and the next DELETE removes too.
    /// </summary>
    public PoolStatus Delete(ReadOnlySpan<byte> key)
    {
        PoolStatus begun = Begin(exclusive: true);
        if (begun != PoolStatus.Ok)
        {
            return begun;
        }
        try
        {
            int slot = FindVerified(key);
            if (slot < 0)
            {
                return slot == -2 ? PoolStatus.IoError : PoolStatus.NotFound;
            }
            if (_tailBytes > 0 || _fileRecords > _index.Count)
            {
                return Refuse(PoolStatus.Damaged, "a delete");
            }
            for (; slot >= 0; slot = _index.Find(key))
            {
                PoolStatus removed = RemoveSlot(slot);
                if (removed != PoolStatus.Ok)
                {
                    return removed;
                }
            }
            return PoolStatus.Ok;
        }
        finally
        {
            End();
        }
    }

    private PoolStatus RemoveSlot(int slot)
    {
        long last = _fileRecords - 1;
        Span<byte> record = _record.AsSpan(0, RecordSize);
        if (slot != last &&
            (RequireSuccess(Native.PRead(_fd, record, Offset(last)), RecordSize, "reading") < 0 ||
             RequireSuccess(Native.PWriteAll(_fd, record, Offset(slot)), RecordSize, "writing") < 0))
        {
            _trusted = false;
            return PoolStatus.IoError;
        }
        int rc = Native.FTruncate(_fd, Offset(last));
        if (rc < 0)
        {
            _settings.Logger.LogWarning("KVP pool {Pool}: truncating {Path} failed: {Error}", Pool, Path, Errno.Describe(-rc));
            _trusted = false;
            return PoolStatus.IoError;
        }
        _index.RemoveByMovingLast(slot);
        _fileRecords = last;
        RecordCount = _index.VisibleCount;
        AfterWrite();
        return PoolStatus.Ok;
    }

    private PoolStatus Refuse(PoolStatus status, string what)
    {
        _settings.Logger.LogWarning("KVP pool {Pool}: refused {What} in {Path}: {Reason}", Pool, what, Path,
            status == PoolStatus.Full
                ? $"it already holds Kvp:MaxRecordsPerPool={_settings.MaxRecords} records"
                : "the file is damaged (partial last record, or more records than the index covers); in-place updates still work");
        return status;
    }

    /// <summary>Every distinct record as (key, value) byte arrays without their NUL padding (for the CLI; allocates).</summary>
    public PoolStatus Snapshot(out List<(byte[] Key, byte[] Value)> records)
    {
        records = [];
        PoolStatus begun = Begin(exclusive: false);
        if (begun != PoolStatus.Ok)
        {
            return begun;
        }
        try
        {
            Span<byte> record = _record.AsSpan(0, RecordSize);
            for (int i = 0; i < _index.VisibleCount; i++)
            {
                if (Native.PRead(_fd, record, Offset(_index.VisibleSlot(i))) != RecordSize)
                {
                    return PoolStatus.IoError;
                }
                records.Add((Wire.Utf8Text.UpToNul(record[..KeySize]).ToArray(), Wire.Utf8Text.UpToNul(record[KeySize..]).ToArray()));
            }
            return PoolStatus.Ok;
        }
        finally
        {
            End();
        }
    }
}
