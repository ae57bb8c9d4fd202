using System.Diagnostics;
using HvUtils.Core.Interop;
using Microsoft.Extensions.Logging;

namespace HvUtils.Kvp.Pools;

/// <summary>
/// One <c>.kvp_pool_N</c> file (spec/kvp.md §5): 2560-byte records (512-byte key +
/// 2048-byte value, NUL padded, no header), shared with the C daemon, cloud-init and
/// azure-init. Every operation holds both locks (<see cref="PoolLock"/>), re-reads the
/// file only when its inode, size or mtime changed, and writes only the bytes that
/// change, in place. Not thread-safe: one caller at a time (the channel thread, or the CLI).
/// </summary>
public sealed partial class KvpPoolFile : IDisposable
{
    public const int KeySize = 512;
    public const int ValueSize = 2048;
    public const int RecordSize = KeySize + ValueSize;

    /// <summary>A sample of the file's mtime is trusted only when taken this long after it: mtime is coarse on older kernels.</summary>
    internal const long SettleNs = 20_000_000;

    private readonly byte[] _pathZ;
    private readonly PoolFileSettings _settings;
    private readonly PoolIndex _index = new();
    private readonly byte[] _record = new byte[RecordSize * 2];
    private readonly byte[] _keyCheck = new byte[KeySize];
    private byte[]? _readBuffer;
    private int _fd = -1;
    private Native.FileStamp _fdStamp;
    private Native.FileStamp _stamp;
    private bool _trusted;
    private bool _exactStamps;
    private long _fileRecords;
    private int _tailBytes;
    private bool _readOnly;
    private Native.FileStamp _loggedDamage;

    public KvpPoolFile(string path, int pool, PoolFileSettings settings)
    {
        Path = path;
        Pool = pool;
        _pathZ = Native.Utf8Z(path);
        _settings = settings;
    }

    public string Path { get; }

    public int Pool { get; }

    /// <summary>Distinct keys as of the last operation (read by the metrics gauge from another thread).</summary>
    public int RecordCount { get; private set; }

    /// <summary>Times the file was re-read because it changed (or could have).</summary>
    public long Reloads { get; private set; }

    /// <summary>Creates the file if missing (mode 0644, like the C daemon) and keeps it open for locking.</summary>
    public int Open(bool create = true)
    {
        if (_fd >= 0)
        {
            return 0;
        }
        int fd = Native.Open(Path, Native.O_RDWR | Native.O_CLOEXEC | (create ? Native.O_CREAT : 0), 0b110_100_100);
        _readOnly = fd is -Errno.EROFS or -Errno.EACCES or -Errno.EPERM;
        if (_readOnly)
        {
            // A read-only mount or an immutable file (issue 9 point 3): the records can still be
            // served; writes fail on the exclusive lock (EBADF on a read-only fd) and retry read-write.
            fd = Native.Open(Path, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        }
        if (fd < 0)
        {
            return fd;
        }
        int rc = Native.FStamp(fd, out _fdStamp);
        if (rc < 0)
        {
            Native.Close(fd);
            return rc;
        }
        // Record reads and writes are random access; no read-ahead keeps re-cached pages small (RecacheInSmallFolios).
        Native.AdviseRandomAccess(fd);
        _fd = fd;
        _trusted = false;
        _exactStamps = false;
        return 0;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Native.Close(_fd);
            _fd = -1;
        }
    }

    /// <summary>Locks, follows a replaced file, and refreshes the index if the file changed.</summary>
    private PoolStatus Begin(bool exclusive)
    {
        if (exclusive && _readOnly)
        {
            Dispose(); // opened read-only earlier: the file may be writable again
        }
        for (int attempt = 0; attempt < 4; attempt++)
        {
            if (_fd < 0 && Open() is int open && open < 0)
            {
                _settings.Logger.LogWarning("KVP pool {Pool}: cannot open {Path}: {Error}", Pool, Path, Errno.Describe(-open));
                return PoolStatus.IoError;
            }
            int rc = PoolLock.Acquire(_fd, exclusive, _settings.LockTimeout, out long waited);
            _settings.LockWaited?.Invoke(Pool, waited);
            if (rc == -Errno.ETIMEDOUT)
            {
                _settings.Logger.LogWarning("KVP pool {Pool}: {Path} stayed locked by another writer for {Timeout}; request failed", Pool, Path, _settings.LockTimeout);
                return PoolStatus.LockTimeout;
            }
            if (rc < 0)
            {
                _settings.Logger.LogWarning("KVP pool {Pool}: locking {Path} failed: {Error}", Pool, Path, Errno.Describe(-rc));
                return PoolStatus.IoError;
            }
            rc = Native.PathStamp(_pathZ, out Native.FileStamp stamp);
            if (rc == 0 && stamp.Inode == _fdStamp.Inode && stamp.Device == _fdStamp.Device)
            {
                if (_trusted && stamp == _stamp)
                {
                    return PoolStatus.Ok;
                }
                if (Reload(stamp))
                {
                    return PoolStatus.Ok;
                }
                PoolLock.Release(_fd);
                return PoolStatus.IoError;
            }
            // The path now names another file (replaced by rename, or removed): lock that one instead.
            PoolLock.Release(_fd);
            Dispose();
        }
        return PoolStatus.IoError;
    }

    private void End() => PoolLock.Release(_fd);

    /// <summary>After our own write: push the mtime back past the settle window so the next sample is trusted.</summary>
    private void AfterWrite()
    {
        _trusted = false;
        if (!_settings.CacheAcrossOperations)
        {
            return;
        }
        // A later write by anyone else stamps the coarse "now", which differs from this value,
        // so (inode, size, mtime) still detects it; without this every request after a SET
        // would re-read the whole file for 20 ms (issue 3 point 2).
        long target = NowNs() - SettleNs - 5_000_000;
        if (Native.SetModificationTime(_fd, target) != 0)
        {
            return;
        }
        // Under both locks nobody else wrote, so the stamp is ours to predict: same file, the
        // size we left, the mtime we set. Read back until this file proved it stores mtime to
        // the nanosecond (a coarser filesystem would round it and every request would re-read).
        Native.FileStamp predicted = _stamp with { Size = Offset(_fileRecords) + _tailBytes, MtimeNs = target };
        if (!_exactStamps)
        {
            if (Native.FStamp(_fd, out Native.FileStamp stamp) != 0)
            {
                return;
            }
            _exactStamps = stamp == predicted;
            predicted = stamp;
        }
        _stamp = predicted;
        _trusted = NowNs() - predicted.MtimeNs >= SettleNs;
    }

    internal static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static long Offset(long slot) => slot * RecordSize;

    private long RequireSuccess(long rc, int expected, string what)
    {
        if (rc != expected)
        {
            _settings.Logger.LogWarning("KVP pool {Pool}: {What} {Path} failed: {Error}", Pool, what, Path,
                rc < 0 ? Errno.Describe((int)-rc) : $"{rc} of {expected} bytes");
            return -1;
        }
        return rc;
    }
}

/// <summary>How a pool file behaves: lock wait bound, record limit, caching, logging and the lock-wait metric hook.</summary>
public sealed record PoolFileSettings(TimeSpan LockTimeout, int MaxRecords, bool CacheAcrossOperations, ILogger Logger, Action<int, long>? LockWaited = null);
