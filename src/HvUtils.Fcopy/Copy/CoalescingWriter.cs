using HvUtils.Core.Interop;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// Gathers the host's 6,144-byte fragments (spec/fcopy.md §0.4) into one page-aligned buffer
/// and writes each contiguous run in page-aligned pwrites of <see cref="MaxWrite"/> (issue 6
/// point 6): a 6 KiB write straddles pages, and on ext4 costs about three times as much per byte. Every
/// <see cref="WritebackWindow"/> bytes written, writeback of that stretch is started, so the
/// fsync at COMPLETE finds little left to do.
/// A write error therefore surfaces at the next flush — a later WRITE_TO_FILE or COMPLETE —
/// and the caller then abandons the copy: the temp file is never linked into place.
/// Fragments that do not continue the buffered run flush it first, so writes reach the file
/// in the order they arrived (a rewritten offset ends with the last bytes sent).
/// The buffer is an anonymous mapping held only while a copy is open and unmapped when it ends,
/// so an idle daemon keeps none of it.
/// </summary>
public sealed unsafe class CoalescingWriter : IDisposable
{
    /// <summary>Largest buffer; files announced smaller get one rounded up to a page.</summary>
    public const int MaxCapacity = 1 << 20;

    /// <summary>
    /// Largest single pwrite. The page cache sizes a write's folios by its length (ext4 has large
    /// folios since Linux 6.16): a 1 MiB pwrite takes 1 MiB folios, which come from the high-order
    /// free blocks a VM balloon's free page reporting hands back to its host — each first touch
    /// then costs a host page fault, and 1 GiB copies ran at half speed half of the time. 64 KiB
    /// folios come from the lower orders the balloon leaves alone, still 16 times fewer syscalls
    /// than one write per fragment.
    /// </summary>
    public const int MaxWrite = 64 << 10;

    /// <summary>Bytes written between two writeback starts (sync_file_range).</summary>
    public const long WritebackWindow = 8L << 20;

    private const int Page = 4096;

    private byte* _buffer;
    private int _capacity;
    private int _fd = -1;
    private long _start;
    private int _length;
    private long _writebackFrom;
    private long _written;

    /// <summary>Bytes that reached the file by pwrite since the last call (for the bytes counter, added once per flush instead of once per message).</summary>
    public long TakeWritten()
    {
        long n = _written;
        _written = 0;
        return n;
    }

    /// <summary>Buffered, not yet written bytes (tests).</summary>
    public int Pending => _length;

    /// <summary>Starts a copy into <paramref name="fd"/>; <paramref name="announcedSize"/> (0 = unknown) bounds the buffer.</summary>
    public void Begin(int fd, ulong announcedSize)
    {
        Release();
        _fd = fd;
        _capacity = announcedSize == 0 || announcedSize >= MaxCapacity ? MaxCapacity : (int)((announcedSize + Page - 1) & ~(ulong)(Page - 1));
        _start = 0;
        _length = 0;
        _writebackFrom = 0;
        _written = 0;
    }

    /// <summary>Buffers <paramref name="data"/> for <paramref name="offset"/>; returns 0, or -errno of a flush that failed.</summary>
    public int Write(ReadOnlySpan<byte> data, long offset)
    {
        if (data.IsEmpty)
        {
            return 0; // pwrite of 0 bytes neither writes nor extends the file
        }
        if (_length > 0 && offset != _start + _length)
        {
            int rc = Flush();
            if (rc < 0)
            {
                return rc;
            }
        }
        if (_length == 0)
        {
            _start = offset;
        }
        if (_buffer is null)
        {
            nint map = Native.MapAnonymous(_capacity);
            if (map < 0)
            {
                return WriteThrough(data, offset); // no memory for a buffer: fragment by fragment, as unbuffered
            }
            _buffer = (byte*)map;
        }
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, _capacity - _length);
            data[..n].CopyTo(new Span<byte>(_buffer + _length, n));
            _length += n;
            data = data[n..];
            if (_length == _capacity)
            {
                int rc = Flush();
                if (rc < 0)
                {
                    return rc;
                }
                _start += _capacity;
            }
        }
        return 0;
    }

    private int WriteThrough(ReadOnlySpan<byte> data, long offset)
    {
        while (!data.IsEmpty)
        {
            long n = Native.PWrite(_fd, data[..Math.Min(data.Length, MaxWrite)], offset);
            if (n <= 0)
            {
                return n == 0 ? -Errno.ENOSPC : (int)n;
            }
            data = data[(int)n..];
            offset += n;
            _written += n;
        }
        return 0;
    }

    /// <summary>Writes the buffered run; returns 0 or -errno (ENOSPC when the filesystem stops taking bytes).</summary>
    public int Flush()
    {
        if (_length == 0)
        {
            return 0;
        }
        long end = _start + _length;
        int rc = WriteThrough(new ReadOnlySpan<byte>(_buffer, _length), _start);
        _length = 0;
        if (rc < 0)
        {
            return rc;
        }
        if (end - _writebackFrom >= WritebackWindow)
        {
            // Only starts writeback (no wait); its errors reach the fsync at COMPLETE.
            Native.SyncFileRange(_fd, _writebackFrom, end - _writebackFrom, Native.SYNC_FILE_RANGE_WRITE);
            _writebackFrom = end;
        }
        return 0;
    }

    /// <summary>Drops buffered bytes and the buffer (copy finished, cancelled or failed).</summary>
    public void Release()
    {
        _length = 0;
        _fd = -1;
        if (_buffer is not null)
        {
            Native.Unmap((nint)_buffer, _capacity);
            _buffer = null;
        }
    }

    public void Dispose() => Release();
}
