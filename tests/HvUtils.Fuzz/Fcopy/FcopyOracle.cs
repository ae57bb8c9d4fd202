using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;

namespace HvUtils.Fuzz.Fcopy;

/// <summary>
/// What each fcopy message (as <c>FcopyChannel.Handle</c> receives it) must get, from
/// spec/fcopy.md §0.3–§0.5 and issue 6: the allowed statuses, a model of the copy in progress
/// (every acknowledged WRITE), the committed file's exact content after COMPLETE, and a scan
/// of the sandbox: nothing outside the allowed root, no temp file visible at rest.
/// </summary>
internal sealed class FcopyOracle(string sandbox, string root)
{
    private const long CompareLimit = 8 << 20;

    private readonly List<(long Offset, byte[] Data)> _writes = [];
    private bool _active;
    private bool _overwrite;
    private bool _beyondLimit;
    private ulong _fileSize;
    private string _target = "";

    public HashSet<string> Committed { get; } = [];

    public Dictionary<string, long> Outcomes { get; } = [];

    public bool Active => _active;

    public string? Check(ReadOnlySpan<byte> m, uint status)
    {
        uint op = m.Length >= 36 ? BinaryPrimitives.ReadUInt32LittleEndian(m) : uint.MaxValue;
        string key = $"{(op < 4 ? op : 9)}:{HvStatus.Outcome(status)}";
        Outcomes[key] = Outcomes.GetValueOrDefault(key) + 1;
        return op switch
        {
            0 => Start(m, status),
            1 => Write(m, status),
            2 => Complete(status),
            3 => End(Expect(status, HvStatus.S_OK)),
            _ => Expect(status, HvStatus.E_FAIL),
        };
    }

    public void Reset() => _active = false;

    private static string? Expect(uint status, params uint[] allowed) =>
        Array.IndexOf(allowed, status) >= 0 ? null : $"status 0x{status:X8}, expected one of {string.Join(", ", allowed.Select(a => $"0x{a:X8}"))}";

    private string? End(string? result)
    {
        _active = false;
        return result;
    }

    private string? Start(ReadOnlySpan<byte> m, uint status)
    {
        _active = false; // a second START abandons the first copy
        if (m.Length < 1088)
        {
            return Expect(status, HvStatus.E_FAIL);
        }
        string? wrong = Expect(status, HvStatus.S_OK, HvStatus.E_FAIL, HvStatus.ERROR_ALREADY_EXISTS);
        if (wrong is not null || status != HvStatus.S_OK)
        {
            return wrong;
        }
        string name = Utf8Field(m.Slice(36, 520));
        string dir = Utf8Field(m.Slice(556, 520));
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || !dir.StartsWith('/') || dir.Split('/').Contains(".."))
        {
            return $"START accepted name '{name}' in '{dir}'";
        }
        string target = Path.GetFullPath(Path.Combine(dir, name));
        if (!target.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return $"START accepted {target}, outside the allowed root {root}";
        }
        _overwrite = (BinaryPrimitives.ReadUInt32LittleEndian(m[1076..]) & 1) != 0;
        if (!_overwrite && File.Exists(target))
        {
            return $"START accepted existing {target} with OVER_WRITE clear";
        }
        _fileSize = BinaryPrimitives.ReadUInt64LittleEndian(m[1080..]);
        _target = target;
        _writes.Clear();
        _beyondLimit = false;
        _active = true;
        return null;
    }

    private string? Write(ReadOnlySpan<byte> m, uint status)
    {
        if (!_active)
        {
            return Expect(status, HvStatus.E_FAIL);
        }
        if (m.Length < 52)
        {
            return End(Expect(status, HvStatus.E_FAIL));
        }
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(m[40..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(m[48..]);
        if (size > 6144 || 52 + size > (uint)m.Length || offset > long.MaxValue - 6144 || (_fileSize != 0 && offset + size > _fileSize))
        {
            return End(Expect(status, HvStatus.E_FAIL));
        }
        // Writes are buffered (CoalescingWriter): a fragment past what the filesystem can hold
        // may fail when it arrives or at a later flush — a later WRITE or COMPLETE.
        _beyondLimit |= size > 0 && offset + size > 1L << 40;
        if (status != HvStatus.S_OK)
        {
            // Only a write past what the filesystem can hold may fail (EFBIG answers disk full).
            return End(_beyondLimit ? Expect(status, HvStatus.ERROR_DISK_FULL, HvStatus.E_FAIL) : Expect(status, HvStatus.S_OK));
        }
        if (size > 0)
        {
            // pwrite of 0 bytes writes nothing and does not extend the file.
            _writes.Add(((long)offset, m.Slice(52, (int)size).ToArray()));
        }
        return null;
    }

    private string? Complete(uint status)
    {
        if (!_active)
        {
            return Expect(status, HvStatus.E_FAIL);
        }
        _active = false;
        if (status == HvStatus.ERROR_ALREADY_EXISTS)
        {
            return _overwrite ? "COMPLETE with OVER_WRITE set answered already-exists" : null;
        }
        if (status != HvStatus.S_OK)
        {
            // E_FAIL when the name is taken by a directory; nothing may be left at the target then.
            return Expect(status, HvStatus.E_FAIL, HvStatus.ERROR_DISK_FULL);
        }
        Committed.Add(_target);
        return CompareContent();
    }

    /// <summary>The committed file holds exactly the acknowledged writes (holes read as zeros).</summary>
    private string? CompareContent()
    {
        long length = _writes.Count == 0 ? 0 : _writes.Max(w => w.Offset + w.Data.Length);
        var info = new FileInfo(_target);
        if (!info.Exists || info.Length != length)
        {
            return $"COMPLETE succeeded but {_target} is {(info.Exists ? info.Length : -1)} bytes, expected {length}";
        }
        if (length > CompareLimit)
        {
            return null;
        }
        byte[] expected = new byte[length];
        foreach (var (offset, data) in _writes)
        {
            data.CopyTo(expected, offset);
        }
        return File.ReadAllBytes(_target).AsSpan().SequenceEqual(expected) ? null : $"{_target} content differs from the acknowledged writes";
    }

    /// <summary>Nothing outside the root and the runtime directory; no temp file at rest; every file under the root committed.</summary>
    public string? ScanTree()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (string entry in Directory.EnumerateFileSystemEntries(sandbox, "*", options))
        {
            bool inRoot = entry.StartsWith(root + "/", StringComparison.Ordinal);
            bool inRun = entry.StartsWith(Path.Combine(sandbox, "run"), StringComparison.Ordinal) || entry.StartsWith(Path.Combine(sandbox, "rings"), StringComparison.Ordinal);
            if (!inRoot && !inRun && entry != root && entry != Path.Combine(sandbox, "outside"))
            {
                return $"{entry} exists outside the allowed root";
            }
            if (!inRoot || Directory.Exists(entry) || entry == Path.Combine(root, "escape"))
            {
                continue;
            }
            if (!_active && !Committed.Contains(entry))
            {
                return Path.GetFileName(entry).StartsWith(".hvutils-fcopy.", StringComparison.Ordinal)
                    ? $"temp file {entry} visible with no copy in progress"
                    : $"{entry} exists but no COMPLETE was acknowledged for it";
            }
        }
        return null;
    }

    private static string Utf8Field(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }
}
