using System.Buffers.Binary;
using HvUtils.Core.Channels;

namespace HvUtils.Vss;

/// <summary>Operation codes of <c>hv_vss_hdr.operation</c> (spec/vss.md §1.1).</summary>
public enum VssOperation : byte
{
    Create = 0,
    Delete = 1,
    HotBackup = 2,
    GetDmInfo = 3,
    BuComplete = 4,
    Freeze = 5,
    Thaw = 6,
    AutoRecover = 7,
    Register = 128,
    Register1 = 129,
}

/// <summary>
/// The 12-byte <c>struct hv_vss_msg</c> (spec/vss.md §2.4): requests carry the operation in
/// byte 0; replies carry the 32-bit status in bytes 0–3, which overwrites the operation.
/// </summary>
public static class VssMessage
{
    /// <summary>sizeof(struct hv_vss_msg).</summary>
    public const int Size = 12;

    /// <summary>The kernel's REGISTER1 handshake reply: u32 129 (spec/vss.md §4).</summary>
    public const int HandshakeReplySize = 4;

    /// <summary>The registration message: byte 0 = VSS_OP_REGISTER1, the rest zero.</summary>
    public static int WriteRegistration(Span<byte> message)
    {
        message[..Size].Clear();
        message[0] = (byte)VssOperation.Register1;
        return Size;
    }

    public static bool IsHandshakeReply(ReadOnlySpan<byte> reply) =>
        reply.Length == HandshakeReplySize && BinaryPrimitives.ReadUInt32LittleEndian(reply) == (uint)VssOperation.Register1;

    /// <summary>True when <paramref name="request"/> is a well-formed kernel request: exactly 12 bytes (spec/vss.md §8).</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> request) => request.Length == Size;

    public static VssOperation OperationOf(ReadOnlySpan<byte> request) => (VssOperation)request[0];

    /// <summary>
    /// Writes a reply: the status in bytes 0–3 and bytes 4–11 as received (spec/vss.md §5.1;
    /// the kernel ignores them, and they are zero in every request it sends).
    /// </summary>
    public static int WriteReply(ReadOnlySpan<byte> request, Span<byte> reply, uint status)
    {
        if (request.Length >= Size)
        {
            request[4..Size].CopyTo(reply[4..Size]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(reply, status);
        return Size;
    }

    /// <summary>Lower-case operation name for logs and metrics (no allocation).</summary>
    public static string Name(VssOperation op) => op switch
    {
        VssOperation.Create => "create",
        VssOperation.Delete => "delete",
        VssOperation.HotBackup => "hot_backup",
        VssOperation.GetDmInfo => "get_dm_info",
        VssOperation.BuComplete => "bu_complete",
        VssOperation.Freeze => "freeze",
        VssOperation.Thaw => "thaw",
        VssOperation.AutoRecover => "auto_recover",
        VssOperation.Register => "register",
        VssOperation.Register1 => "register1",
        _ => "unknown",
    };

    public static string Outcome(uint status) => HvStatus.Outcome(status);
}
