using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Transport;
using Microsoft.Extensions.Options;

namespace HvUtils.Fcopy;

/// <summary>
/// The file-copy channel (spec/fcopy.md). Foundation stage: the legacy char device
/// handshake (spec/transport.md §7.3); requests are answered HV_E_FAIL until the FCOPY
/// service issue adds the copy logic and the UIO transport.
/// </summary>
public sealed class FcopyChannel(IOptions<FcopyOptions> options) : IHvChannel
{
    /// <summary>FCOPY_CURRENT_VERSION (FCOPY_VERSION_1).</summary>
    public const uint Version1 = 1;

    /// <summary>Reads need at least 6196 bytes; 8192 as fcopy.md part A advises.</summary>
    public const int ReadBufferSize = 8192;

    public string Name => "fcopy";

    public IDeviceEndpoint Device { get; } = new PathDeviceEndpoint(options.Value.DevicePath);

    public int MaxMessageSize => ReadBufferSize;

    public int MaxReplySize => 4;

    public int WriteRegistration(Span<byte> message)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, Version1);
        return 4;
    }

    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply) =>
        reply.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(reply) == Version1;

    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply) =>
        new(WriteFailureReply(request, reply), "unknown", HvStatus.Outcome(HvStatus.E_FAIL));

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.E_FAIL);
        return 4;
    }

    public void OnConnectionReset()
    {
    }
}
