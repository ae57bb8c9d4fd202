using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using Microsoft.Extensions.Logging;

namespace HvUtils.Fcopy.Copy;

/// <summary>
/// One host-to-guest copy at a time (spec/fcopy.md §0.5 with the fixes): START opens
/// a hidden file beneath the confined directory, WRITE checks bounds and writes, COMPLETE
/// links it into place, CANCEL / a reset / a failure leave nothing behind.
/// Used by both transports: messages arrive with UTF-8 names (the UIO transport converts).
/// </summary>
public sealed class FcopySession
{
    private readonly FcopySettings _settings;
    private readonly ILogger _logger;
    private readonly FcopyMetrics? _metrics;
    private readonly PendingFile _file;
    private bool _overwrite;
    private ulong _fileSize;
    private string _target = "";

    public FcopySession(FcopySettings settings, ILogger logger, FcopyMetrics? metrics = null)
    {
        _settings = settings;
        _logger = logger;
        _metrics = metrics;
        _file = new PendingFile(settings);
    }

    public bool Active => _file.IsOpen;

    /// <summary>For tests: whether the current copy fell back to a named temp file.</summary>
    public bool UsesNamedTemp => _file.UsesNamedTemp;

    public uint Start(ReadOnlySpan<byte> message)
    {
        if (_file.IsOpen)
        {
            // A second START without COMPLETE: the first copy is abandoned cleanly (the C daemon leaks its fd).
            _logger.LogWarning("fcopy: START while {Target} was still open; discarding the unfinished copy", _target);
            Finish("cancelled");
        }
        if (message.Length < FcopyWire.StartSize)
        {
            return Fail("START shorter than 1088 bytes", HvStatus.E_FAIL);
        }
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(message[FcopyWire.CopyFlagsOffset..]);
        _fileSize = BinaryPrimitives.ReadUInt64LittleEndian(message[FcopyWire.FileSizeOffset..]);
        _overwrite = (flags & FcopyWire.OverWrite) != 0;
        string? name = CopyTarget.ValidFileName(FcopyNames.Utf8Field(message.Slice(FcopyWire.FileNameOffset, FcopyWire.NameFieldSize)));
        string[]? dir = CopyTarget.DirectoryComponents(FcopyNames.Utf8Field(message.Slice(FcopyWire.PathNameOffset, FcopyWire.NameFieldSize)));
        if (name is null || dir is null)
        {
            return Fail("rejected file or directory name (relative, '..', '/' in the name, or invalid UTF-8)", HvStatus.E_FAIL);
        }
        string directory = "/" + string.Join('/', dir);
        _target = directory == "/" ? "/" + name : directory + "/" + name;
        if (CopyTarget.FindRoot(dir, _settings.Roots) is not { } root)
        {
            return Fail($"{directory} is outside Fcopy:AllowedRoots", HvStatus.E_FAIL);
        }
        int dirFd = TargetDirectory.Open(root.Root, dir, root.Covered, (flags & FcopyWire.CreatePath) != 0);
        if (dirFd < 0)
        {
            return Fail($"cannot open directory {directory}: {Errno.Describe(-dirFd)}", HvStatus.E_FAIL);
        }
        byte[] nameZ = Native.Utf8Z(name);
        if (!_overwrite && TargetDirectory.Exists(dirFd, nameZ))
        {
            Native.Close(dirFd);
            return Fail($"{_target} exists and OVER_WRITE is clear", HvStatus.ERROR_ALREADY_EXISTS);
        }
        int rc = _file.Create(dirFd, directory, nameZ, _fileSize);
        if (rc < 0)
        {
            return Fail($"cannot create a file in {directory}: {Errno.Describe(-rc)}", rc is -Errno.ENOSPC or -Errno.EDQUOT ? HvStatus.ERROR_DISK_FULL : HvStatus.E_FAIL);
        }
        _metrics?.Active.Add(1);
        _logger.LogInformation("fcopy: receiving {Target} ({Size} bytes announced, overwrite {Overwrite})", _target, _fileSize, _overwrite);
        return HvStatus.S_OK;
    }

    public uint Write(ReadOnlySpan<byte> message)
    {
        if (!_file.IsOpen)
        {
            return HvStatus.E_FAIL;
        }
        if (message.Length < FcopyWire.WriteDataOffset)
        {
            return Abort("WRITE_TO_FILE shorter than its header", HvStatus.E_FAIL);
        }
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(message[FcopyWire.WriteOffsetOffset..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(message[FcopyWire.WriteSizeOffset..]);
        // The C daemon trusts size and writes past the message (quirks.md: 14 KB of stack for size 65,536).
        if (size > FcopyWire.DataFragment || FcopyWire.WriteDataOffset + size > (uint)message.Length
            || offset > long.MaxValue - FcopyWire.DataFragment
            || (_fileSize != 0 && offset + size > _fileSize))
        {
            return Abort($"WRITE_TO_FILE out of bounds (offset {offset}, size {size})", HvStatus.E_FAIL);
        }
        // Buffered (CoalescingWriter): a failure reported here may belong to an earlier fragment;
        // either way the copy is abandoned and nothing is linked into place.
        int rc = _file.Write(message.Slice(FcopyWire.WriteDataOffset, (int)size), (long)offset);
        CountWritten();
        if (rc < 0)
        {
            return Abort($"writing {_target} failed: {Errno.Describe(-rc)}", PendingFile.WriteFailureStatus(rc));
        }
        return HvStatus.S_OK;
    }

    /// <summary>The bytes counter moves once per buffer flush, not once per message.</summary>
    private void CountWritten()
    {
        long written = _file.TakeWritten();
        if (written > 0)
        {
            _metrics?.Bytes.Add(written);
        }
    }

    public uint Complete()
    {
        if (!_file.IsOpen)
        {
            return HvStatus.E_FAIL;
        }
        uint status = _file.Commit(_overwrite);
        CountWritten();
        string outcome = HvStatus.Outcome(status);
        _metrics?.Active.Add(-1);
        _metrics?.Files.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (status == HvStatus.S_OK)
        {
            _logger.LogInformation("fcopy: {Target} written", _target);
        }
        else
        {
            _logger.LogWarning("fcopy: completing {Target} failed ({Outcome}); nothing left behind", _target, outcome);
        }
        return status;
    }

    /// <summary>CANCEL_FCOPY, a device reset or shutdown: drop the unfinished copy. Always succeeds.</summary>
    public uint Cancel()
    {
        if (_file.IsOpen)
        {
            _logger.LogInformation("fcopy: copy of {Target} cancelled; partial data discarded", _target);
            Finish("cancelled");
        }
        return HvStatus.S_OK;
    }

    private uint Fail(string why, uint status)
    {
        _logger.LogWarning("fcopy: START refused: {Reason}", why);
        _metrics?.Files.Add(1, new KeyValuePair<string, object?>("outcome", HvStatus.Outcome(status)));
        return status;
    }

    private uint Abort(string why, uint status)
    {
        _logger.LogWarning("fcopy: {Reason}; the copy is abandoned and nothing is left behind", why);
        Finish(HvStatus.Outcome(status));
        return status;
    }

    private void Finish(string outcome)
    {
        _file.Discard();
        _metrics?.Active.Add(-1);
        _metrics?.Files.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
