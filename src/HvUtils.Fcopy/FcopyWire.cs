using System.Buffers.Binary;

namespace HvUtils.Fcopy;

/// <summary>The host's file-copy messages (spec/fcopy.md §0.1–§0.4); all integers little-endian, packed.</summary>
public static class FcopyWire
{
    public const uint StartFileCopy = 0;
    public const uint WriteToFile = 1;
    public const uint CompleteFcopy = 2;
    public const uint CancelFcopy = 3;

    public const uint OverWrite = 0x1;
    public const uint CreatePath = 0x2;

    /// <summary>W_MAX_PATH: UTF-16 units per name field, NUL included.</summary>
    public const int MaxPathUnits = 260;

    /// <summary>Longest UTF-8 name the legacy kernel path produces (259 bytes + NUL, §A.2).</summary>
    public const int MaxNameBytes = 259;

    public const int DataFragment = 6144;

    public const int HeaderSize = 36;
    public const int FileNameOffset = 36;
    public const int PathNameOffset = 556;
    public const int NameFieldSize = 520;
    public const int CopyFlagsOffset = 1076;
    public const int FileSizeOffset = 1080;
    public const int StartSize = 1088;

    public const int WriteOffsetOffset = 40;
    public const int WriteSizeOffset = 48;
    public const int WriteDataOffset = 52;
    public const int WriteSize = 6196;

    public static uint Operation(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message);

    public static string OperationName(uint operation) => operation switch
    {
        StartFileCopy => "start_copy",
        WriteToFile => "write",
        CompleteFcopy => "complete",
        CancelFcopy => "cancel",
        _ => "unknown",
    };
}
