using System.Text.Unicode;
using HvUtils.Core.Interop;
using Microsoft.Extensions.Logging;

namespace HvUtils.Kvp.Pools;

// Re-reading the file into the index, tolerating whatever other writers left behind.
public sealed partial class KvpPoolFile
{
    private const int ReadChunkRecords = 64;

    /// <summary>From this size on, a re-read first puts the file's cached pages back into base-page folios (<see cref="RecacheInSmallFolios"/>).</summary>
    internal const long RecacheBytes = 1 << 20;

    /// <summary>Up to this size (~13,000 records): the writeback and the re-read from disk stay well under a second even on a slow disk.</summary>
    internal const long RecacheMaxBytes = 32 << 20;

    /// <summary>Rebuilds the index from the file (under the lock). Never modifies the file.</summary>
    private bool Reload(Native.FileStamp stamp)
    {
        Reloads++;
        if (stamp.Size is >= RecacheBytes and <= RecacheMaxBytes)
        {
            RecacheInSmallFolios();
        }
        long records = stamp.Size / RecordSize;
        int covered = (int)Math.Min(records, _settings.MaxRecords);
        _index.Reset(covered);
        _readBuffer ??= new byte[ReadChunkRecords * RecordSize];
        bool invalidUtf8 = false;
        for (int first = 0; first < covered; first += ReadChunkRecords)
        {
            int n = Math.Min(ReadChunkRecords, covered - first);
            long got = Native.PRead(_fd, _readBuffer.AsSpan(0, n * RecordSize), Offset(first));
            if (got < 0)
            {
                _settings.Logger.LogWarning("KVP pool {Pool}: reading {Path} failed: {Error}", Pool, Path, Errno.Describe((int)-got));
                _trusted = false;
                return false;
            }
            n = (int)(got / RecordSize);
            for (int r = 0; r < n; r++)
            {
                ReadOnlySpan<byte> record = _readBuffer.AsSpan(r * RecordSize, RecordSize);
                ReadOnlySpan<byte> key = Wire.Utf8Text.UpToNul(record[..KeySize]);
                invalidUtf8 |= !Utf8.IsValid(key) || !Utf8.IsValid(Wire.Utf8Text.UpToNul(record[KeySize..]));
                _index.Add(key);
            }
            if (got < (long)n * RecordSize || n < Math.Min(ReadChunkRecords, covered - first))
            {
                break;
            }
        }
        _fileRecords = records;
        _tailBytes = (int)(stamp.Size % RecordSize);
        _stamp = stamp;
        _trusted = NowNs() - stamp.MtimeNs >= SettleNs;
        RecordCount = _index.VisibleCount;
        ReportDamage(stamp, invalidUtf8);
        return true;
    }

    /// <summary>
    /// A file written in large writes (the C daemon's whole-file rewrite, a bulk copy) sits in
    /// the page cache in large folios (up to 2 MiB on ext4 since Linux 6.16), and a buffered
    /// 2 KiB pwrite walks every block of the folio it lands in: ~10 µs per SET at 1,000
    /// records instead of ~0.6 µs (measured on 6.18, ext4). So before re-reading a changed
    /// large file: write its dirty pages back and drop the clean ones, and the re-read (the fd
    /// reads without read-ahead, <see cref="Native.AdviseRandomAccess"/>) caches it again in
    /// base pages. Data-only writeback, once per foreign change of a file of 1–32 MiB (measured
    /// here at 25 MiB: +21 ms writeback, +30 ms reading from disk instead of the cache); only a
    /// hint — the file's bytes are untouched and failures are ignored.
    /// </summary>
    private void RecacheInSmallFolios()
    {
        Native.WriteBackAndWait(_fd);
        Native.AdviseDropCache(_fd);
    }

    /// <summary>One log line per file state (inode, size, mtime) for anything a reader had to work around.</summary>
    private void ReportDamage(Native.FileStamp stamp, bool invalidUtf8)
    {
        bool overLimit = _fileRecords > _index.Count;
        if ((_tailBytes == 0 && _index.Duplicates == 0 && !invalidUtf8 && !overLimit) || stamp == _loggedDamage)
        {
            return;
        }
        _loggedDamage = stamp;
        _settings.Logger.LogWarning(
            "KVP pool {Pool}: {Path} has {Records} records{Tail}{Duplicates}{Utf8}{Limit}; every readable record is kept and nothing is truncated",
            Pool, Path, _fileRecords,
            _tailBytes > 0 ? $", a {_tailBytes}-byte partial record at the end" : "",
            _index.Duplicates > 0 ? $", {_index.Duplicates} duplicate keys (the first of each is used)" : "",
            invalidUtf8 ? ", bytes that are not UTF-8 (sent to the host with '?' in their place)" : "",
            overLimit ? $", more than Kvp:MaxRecordsPerPool={_settings.MaxRecords} (the rest are ignored)" : "");
    }

    /// <summary>Re-checks, under the lock, that a slot still holds <paramref name="key"/> before writing it.</summary>
    private bool KeyOnDiskMatches(int slot, ReadOnlySpan<byte> key)
    {
        long got = Native.PRead(_fd, _keyCheck, Offset(slot));
        return got == KeySize && Wire.Utf8Text.UpToNul(_keyCheck).SequenceEqual(key);
    }

    /// <summary>The slot of <paramref name="key"/>, verified on disk; re-reads the file once if the index was stale.</summary>
    private int FindVerified(ReadOnlySpan<byte> key)
    {
        int slot = _index.Find(key);
        if (slot < 0 || KeyOnDiskMatches(slot, key))
        {
            return slot;
        }
        if (Native.FStamp(_fd, out Native.FileStamp stamp) != 0 || !Reload(stamp))
        {
            return -2;
        }
        slot = _index.Find(key);
        return slot < 0 || KeyOnDiskMatches(slot, key) ? slot : -2;
    }
}
