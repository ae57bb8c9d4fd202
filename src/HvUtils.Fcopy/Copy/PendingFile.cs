using System.Globalization;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// The file being received, invisible until COMPLETE (issue 6 point 1, atomic): an
/// <c>O_TMPFILE</c> in the destination directory, or — on filesystems without it — a named
/// temp file whose path is recorded under the runtime directory and swept at the next start.
/// COMPLETE fsyncs, then links it into place: with OVER_WRITE clear the link never replaces
/// an existing file (linkat/RENAME_NOREPLACE fail with EEXIST).
/// </summary>
public sealed class PendingFile
{
    private const string TempPrefix = ".hvutils-fcopy.";
    private const string TempSuffix = ".tmp";
    private const string RecordName = "fcopy-temp";
    private static int s_counter;

    private readonly FcopySettings _settings;
    private readonly CoalescingWriter _writer = new();
    private int _dirFd = -1;
    private int _fd = -1;
    private byte[] _finalName = [];
    private byte[]? _tempName;
    private string? _record;
    private string _directory = "";

    public PendingFile(FcopySettings settings)
    {
        _settings = settings;
    }

    public bool IsOpen => _fd >= 0;

    public int Fd => _fd;

    /// <summary>Whether the fallback (named temp file) is in use; for tests and logs.</summary>
    public bool UsesNamedTemp => _tempName is not null;

    /// <summary>
    /// Creates the hidden file in <paramref name="dirFd"/> (taken over); returns 0 or -errno.
    /// <paramref name="announcedSize"/> (START's file_size, 0 = unknown) sizes the write buffer.
    /// </summary>
    public int Create(int dirFd, string directory, byte[] finalNameZ, ulong announcedSize = 0)
    {
        _dirFd = dirFd;
        _directory = directory;
        _finalName = finalNameZ;
        _fd = _settings.UseTmpFile
            ? Native.OpenAt(dirFd, ".\0"u8, Native.O_TMPFILE | Native.O_WRONLY | Native.O_CLOEXEC, _settings.FileMode)
            : -Errno.EOPNOTSUPP;
        if (_fd is -Errno.EOPNOTSUPP or -Errno.EISDIR or -Errno.EINVAL)
        {
            CreateNamed(directory);
        }
        if (_fd < 0)
        {
            int e = _fd;
            Discard();
            return e;
        }
        // Explicit mode and owner: O_TMPFILE's mode is filtered by the umask (spec §0.5: the C daemon's 0744 & umask).
        Native.FChmod(_fd, _settings.FileMode);
        if (_settings.Owner >= 0 || _settings.Group >= 0)
        {
            int rc = Native.FChown(_fd, (uint)_settings.Owner, (uint)_settings.Group);
            if (rc < 0)
            {
                Discard();
                return rc;
            }
        }
        _writer.Begin(_fd, announcedSize);
        return 0;
    }

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> through the coalescing buffer:
    /// 0, or -errno of an earlier buffered write that failed now (the copy must then be abandoned).
    /// </summary>
    public int Write(ReadOnlySpan<byte> data, long offset) => _writer.Write(data, offset);

    /// <summary>Bytes that reached the file since the last call.</summary>
    public long TakeWritten() => _writer.TakeWritten();

    private void CreateNamed(string directory)
    {
        string temp = string.Create(CultureInfo.InvariantCulture, $"{TempPrefix}{Environment.ProcessId}.{Interlocked.Increment(ref s_counter)}{TempSuffix}");
        _tempName = Native.Utf8Z(temp);
        Record(Path.Combine(directory, temp));
        _fd = TargetDirectory.OpenBeneath(_dirFd, _tempName, Native.O_CREAT | Native.O_EXCL | Native.O_WRONLY | Native.O_CLOEXEC, _settings.FileMode);
        if (_fd < 0)
        {
            _tempName = null;
            ClearRecord();
        }
    }

    /// <summary>fsync, link into place, fsync the directory. Returns an HvStatus.</summary>
    public uint Commit(bool overwrite)
    {
        // The last buffered bytes first: a failure here fails the copy like a failed WRITE.
        int rc = _writer.Flush();
        if (rc == 0)
        {
            rc = Native.Fsync(_fd);
        }
        if (rc < 0)
        {
            Discard();
            return WriteFailureStatus(rc);
        }
        rc = _tempName is null ? LinkTmpFile(overwrite) : RenameNamed(overwrite);
        if (rc == 0)
        {
            Native.Fsync(_dirFd);
            _tempName = null;
        }
        Discard();
        return rc switch
        {
            0 => HvStatus.S_OK,
            -Errno.EEXIST => HvStatus.ERROR_ALREADY_EXISTS,
            -Errno.ENOSPC or -Errno.EDQUOT => HvStatus.ERROR_DISK_FULL,
            _ => HvStatus.E_FAIL,
        };
    }

    private int LinkTmpFile(bool overwrite)
    {
        if (!overwrite)
        {
            return LinkFd(_finalName);
        }
        // Link under a temp name, then rename over the target: the replacement is atomic. The
        // name is recorded first, so a SIGKILL between link and rename is swept at the next start.
        string tempName = string.Create(CultureInfo.InvariantCulture, $"{TempPrefix}{Environment.ProcessId}.{Interlocked.Increment(ref s_counter)}{TempSuffix}");
        byte[] temp = Native.Utf8Z(tempName);
        Record(Path.Combine(_directory, tempName));
        int rc = LinkFd(temp);
        if (rc < 0)
        {
            return rc;
        }
        rc = Native.RenameAt2(_dirFd, temp, _dirFd, _finalName, 0);
        if (rc < 0)
        {
            Native.UnlinkAt(_dirFd, temp, 0);
        }
        return rc;
    }

    /// <summary>linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; /proc/self/fd/N with AT_SYMLINK_FOLLOW does not.</summary>
    private int LinkFd(byte[] nameZ)
    {
        int rc = Native.LinkAt(_fd, [0], _dirFd, nameZ, Native.AT_EMPTY_PATH);
        if (rc is -Errno.ENOENT or -Errno.EPERM or -Errno.EACCES)
        {
            byte[] proc = Native.Utf8Z(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{_fd}"));
            rc = Native.LinkAt(Native.AT_FDCWD, proc, _dirFd, nameZ, Native.AT_SYMLINK_FOLLOW);
        }
        return rc;
    }

    private int RenameNamed(bool overwrite)
    {
        int rc = Native.RenameAt2(_dirFd, _tempName, _dirFd, _finalName, overwrite ? 0 : Native.RENAME_NOREPLACE);
        if (rc is -Errno.EINVAL or -Errno.ENOSYS && !overwrite)
        {
            // No RENAME_NOREPLACE on this filesystem: link (fails with EEXIST) and drop the temp name.
            rc = Native.LinkAt(_dirFd, _tempName, _dirFd, _finalName, 0);
            if (rc == 0)
            {
                Native.UnlinkAt(_dirFd, _tempName, 0);
            }
        }
        return rc;
    }

    /// <summary>A failed write or fsync: the filesystem is out of room (disk full, quota, file size limit) or something else failed.</summary>
    public static uint WriteFailureStatus(int negativeErrno) =>
        negativeErrno is -Errno.ENOSPC or -Errno.EDQUOT or -Errno.EFBIG ? HvStatus.ERROR_DISK_FULL : HvStatus.E_FAIL;

    /// <summary>Drops the file: an O_TMPFILE vanishes on close; a named temp file is unlinked. Safe to call twice.</summary>
    public void Discard()
    {
        _writer.Release();
        if (_fd >= 0)
        {
            Native.Close(_fd);
            _fd = -1;
        }
        if (_tempName is not null && _dirFd >= 0)
        {
            Native.UnlinkAt(_dirFd, _tempName, 0);
            _tempName = null;
        }
        ClearRecord();
        if (_dirFd >= 0)
        {
            Native.Close(_dirFd);
            _dirFd = -1;
        }
    }

    private void Record(string tempPath)
    {
        try
        {
            Directory.CreateDirectory(_settings.RuntimeDirectory);
            _record = Path.Combine(_settings.RuntimeDirectory, RecordName);
            File.WriteAllText(_record, tempPath);
        }
        catch (IOException)
        {
            _record = null;
        }
        catch (UnauthorizedAccessException)
        {
            _record = null;
        }
    }

    private void ClearRecord()
    {
        if (_record is not null)
        {
            File.Delete(_record);
            _record = null;
        }
    }

    /// <summary>
    /// Removes a named temp file left by a daemon that was killed mid-copy (called at start-up).
    /// Only a path whose file name has our temp pattern is removed. Returns the path removed, or null.
    /// </summary>
    public static string? Sweep(string runtimeDirectory)
    {
        string record = Path.Combine(runtimeDirectory, RecordName);
        try
        {
            if (!File.Exists(record))
            {
                return null;
            }
            string path = File.ReadAllText(record).Trim();
            string name = Path.GetFileName(path);
            string? removed = null;
            if (path.StartsWith('/') && name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(TempSuffix, StringComparison.Ordinal) && File.Exists(path))
            {
                File.Delete(path);
                removed = path;
            }
            File.Delete(record);
            return removed;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
