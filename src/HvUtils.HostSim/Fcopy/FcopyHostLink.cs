using System.Buffers.Binary;
using HvUtils.Fcopy;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Fcopy;

/// <summary>How the host's fcopy messages reach the daemon: the legacy kernel path or the UIO ring.</summary>
public interface IFcopyHostLink
{
    string Name { get; }

    /// <summary>Sends one message (from its hv_fcopy_hdr on) and returns the daemon's status.</summary>
    Task<uint> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Builds START_FILE_COPY with the names in this path's format (UTF-8 from the legacy kernel, UTF-16LE on the ring).</summary>
    byte[] Start(string fileName, string pathName, uint flags, ulong fileSize);
}

/// <summary>The legacy char device: the kernel converts names to UTF-8 and forwards COMPLETE/CANCEL with 28 bytes of framing (spec/fcopy.md §A.2).</summary>
public sealed class LegacyFcopyLink(FcopyDevice device) : IFcopyHostLink
{
    public string Name => "legacy";

    public async Task<uint> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte> wire = message;
        if (message.Length == FcopyWire.HeaderSize)
        {
            // The kernel over-reads by the 28-byte IC header length: 64 bytes reach the daemon.
            byte[] padded = new byte[FcopyWire.HeaderSize + 28];
            message.CopyTo(padded);
            wire = padded;
        }
        byte[] reply = await device.RequestAsync(wire, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(reply) : throw new HostRequestException($"fcopy: {reply.Length}-byte reply");
    }

    public byte[] Start(string fileName, string pathName, uint flags, ulong fileSize) =>
        FcopyMessages.Start(fileName, pathName, flags, fileSize, utf16: false);
}

/// <summary>The UIO ring: IC-framed packets with the host's UTF-16LE names (spec/fcopy.md part B).</summary>
public sealed class UioFcopyLink(UioHost host) : IFcopyHostLink
{
    public string Name => "uio";

    public Task<uint> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        host.SendFcopyAsync(message, cancellationToken);

    public byte[] Start(string fileName, string pathName, uint flags, ulong fileSize) =>
        FcopyMessages.Start(fileName, pathName, flags, fileSize, utf16: true);
}

/// <summary>The host's fcopy messages (spec/fcopy.md §0.2–§0.4).</summary>
public static class FcopyMessages
{
    public static byte[] Start(string fileName, string pathName, uint flags, ulong fileSize, bool utf16)
    {
        byte[] m = new byte[FcopyWire.StartSize];
        BinaryPrimitives.WriteUInt32LittleEndian(m, FcopyWire.StartFileCopy);
        if (utf16)
        {
            FcopyNames.WriteUtf16(fileName, m.AsSpan(FcopyWire.FileNameOffset, FcopyWire.NameFieldSize));
            FcopyNames.WriteUtf16(pathName, m.AsSpan(FcopyWire.PathNameOffset, FcopyWire.NameFieldSize));
        }
        else
        {
            FcopyNames.WriteUtf8(fileName, m.AsSpan(FcopyWire.FileNameOffset, FcopyWire.NameFieldSize));
            FcopyNames.WriteUtf8(pathName, m.AsSpan(FcopyWire.PathNameOffset, FcopyWire.NameFieldSize));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(FcopyWire.CopyFlagsOffset), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(FcopyWire.FileSizeOffset), fileSize);
        return m;
    }

    /// <summary>A full 6196-byte hv_do_fcopy, as the host always sends it, whatever <c>size</c> is.</summary>
    public static byte[] Write(ulong offset, ReadOnlySpan<byte> data, uint? sizeOverride = null)
    {
        byte[] m = new byte[FcopyWire.WriteSize];
        FillWrite(m, offset, data, sizeOverride);
        return m;
    }

    public static void FillWrite(Span<byte> m, ulong offset, ReadOnlySpan<byte> data, uint? sizeOverride = null)
    {
        m[..FcopyWire.WriteDataOffset].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(m, FcopyWire.WriteToFile);
        BinaryPrimitives.WriteUInt64LittleEndian(m[FcopyWire.WriteOffsetOffset..], offset);
        BinaryPrimitives.WriteUInt32LittleEndian(m[FcopyWire.WriteSizeOffset..], sizeOverride ?? (uint)data.Length);
        data.CopyTo(m[FcopyWire.WriteDataOffset..]);
        m[(FcopyWire.WriteDataOffset + data.Length)..].Clear();
    }

    public static byte[] Header(uint operation)
    {
        byte[] m = new byte[FcopyWire.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(m, operation);
        return m;
    }
}
