using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Transport;
using Microsoft.Extensions.Options;

namespace HvUtils.Vss;

/// <summary>
/// The VSS channel on <c>/dev/vmbus/hv_vss</c> (spec/vss.md, spec/transport.md §7.2).
/// Foundation stage: the REGISTER1 handshake; requests are answered HV_E_FAIL until the
/// VSS service issue adds freeze and thaw.
/// </summary>
public sealed class VssChannel(IOptions<VssOptions> options) : IHvChannel
{
    /// <summary>sizeof(struct hv_vss_msg).</summary>
    public const int MessageSize = 12;

    /// <summary>VSS_OP_REGISTER1 (spec/transport.md §7.2).</summary>
    public const byte OpRegister1 = 129;

    public string Name => "vss";

    public IDeviceEndpoint Device { get; } = new PathDeviceEndpoint(options.Value.DevicePath);

    public int MaxMessageSize => MessageSize;

    public int MaxReplySize => MessageSize;

    public int WriteRegistration(Span<byte> message)
    {
        message[0] = OpRegister1;
        return MessageSize;
    }

    /// <summary>The kernel answers REGISTER1 with its own version, the 4 bytes 81 00 00 00.</summary>
    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply) =>
        reply.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(reply) == OpRegister1;

    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply) =>
        new(WriteFailureReply(request, reply), "unknown", HvStatus.Outcome(HvStatus.E_FAIL));

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.E_FAIL);
        return MessageSize;
    }

    public void OnConnectionReset()
    {
    }
}
