using System.Buffers.Binary;
using HvUtils.Core.Channels;

namespace HvUtils.Fcopy.Uio;

/// <summary>
/// The pipe and IC headers that start every fcopy/negotiate payload on the ring
/// (spec/fcopy.md B.5), and the version negotiation the daemon answers itself (B.6).
/// </summary>
public static class IcMessage
{
    /// <summary>ICMSG_HDR: 8-byte pipe header + 20-byte IC header; the message follows.</summary>
    public const int HeaderSize = 28;

    public const int MessageTypeOffset = 12;
    public const int MessageSizeOffset = 18;
    public const int StatusOffset = 20;
    public const int TransactionOffset = 24;
    public const int FlagsOffset = 25;

    public const ushort TypeNegotiate = 0;
    public const ushort TypeFcopy = 7;

    public const byte FlagTransaction = 1;
    public const byte FlagRequest = 2;
    public const byte FlagResponse = 4;

    public const ushort FrameworkMajor = 3;
    public const ushort FrameworkMinor = 0;
    public const ushort FcopyMajor = 1;
    public const ushort FcopyMinor = 1;

    private const int MaxVersionCount = 100;

    public static ushort MessageType(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt16LittleEndian(payload[MessageTypeOffset..]);

    /// <summary>Turns a request payload into its reply in place: status set, icflags TRANSACTION|RESPONSE (B.5).</summary>
    public static void MakeResponse(Span<byte> payload, uint status)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload[StatusOffset..], status);
        payload[FlagsOffset] = FlagTransaction | FlagResponse;
    }

    /// <summary>
    /// B.6, the kernel's vmbus_prep_negotiate_resp for fcopy: framework 3.0 and message 1.1
    /// must both be offered. Rewrites the payload into the reply; returns true on a match.
    /// </summary>
    public static bool Negotiate(Span<byte> payload)
    {
        if (payload.Length < HeaderSize + 4)
        {
            MakeResponse(payload, HvStatus.E_FAIL);
            return false;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(payload[MessageSizeOffset..], 16);
        Span<byte> body = payload[HeaderSize..];
        int frameworks = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int messages = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        bool found = false;
        if (frameworks <= MaxVersionCount && messages <= MaxVersionCount && HeaderSize + 8 + 4 * (frameworks + messages) <= payload.Length)
        {
            found = Offers(body, 0, frameworks, FrameworkMajor, FrameworkMinor) && Offers(body, frameworks, messages, FcopyMajor, FcopyMinor);
        }
        // The body is rewritten only where it fits (a 32-byte request has no room for the versions).
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)(found ? 1 : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], (ushort)(found ? 1 : 0));
        if (body.Length >= 16)
        {
            WriteVersion(body[8..], FrameworkMajor, FrameworkMinor);
            WriteVersion(body[12..], FcopyMajor, FcopyMinor);
        }
        MakeResponse(payload, found ? HvStatus.S_OK : HvStatus.E_FAIL);
        return found;
    }

    private static bool Offers(ReadOnlySpan<byte> body, int first, int count, ushort major, ushort minor)
    {
        for (int i = first; i < first + count; i++)
        {
            ReadOnlySpan<byte> v = body.Slice(8 + 4 * i, 4);
            if (BinaryPrimitives.ReadUInt16LittleEndian(v) == major && BinaryPrimitives.ReadUInt16LittleEndian(v[2..]) == minor)
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteVersion(Span<byte> at, ushort major, ushort minor)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, major);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], minor);
    }

    /// <summary>Builds a host request payload (simulator and tests): pipe header, IC header, message.</summary>
    public static byte[] Request(ushort type, ushort messageMajor, ushort messageMinor, ReadOnlySpan<byte> message, byte transaction)
    {
        byte[] p = new byte[HeaderSize + message.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), (uint)(p.Length - 8));
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(8), FrameworkMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(10), FrameworkMinor);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(MessageTypeOffset), type);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(14), messageMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(16), messageMinor);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(MessageSizeOffset), (ushort)message.Length);
        p[TransactionOffset] = transaction;
        p[FlagsOffset] = FlagTransaction | FlagRequest;
        message.CopyTo(p.AsSpan(HeaderSize));
        return p;
    }

    /// <summary>A negotiate request body offering the given framework and message versions (simulator and tests).</summary>
    public static byte[] NegotiateBody(ReadOnlySpan<(ushort Major, ushort Minor)> frameworks, ReadOnlySpan<(ushort Major, ushort Minor)> messages)
    {
        byte[] b = new byte[8 + 4 * (frameworks.Length + messages.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)frameworks.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)messages.Length);
        int at = 8;
        foreach (var v in frameworks)
        {
            WriteVersion(b.AsSpan(at), v.Major, v.Minor);
            at += 4;
        }
        foreach (var v in messages)
        {
            WriteVersion(b.AsSpan(at), v.Major, v.Minor);
            at += 4;
        }
        return b;
    }
}
