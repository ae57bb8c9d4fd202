using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Core.Transport;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp;

/// <summary>
/// The KVP channel on <c>/dev/vmbus/hv_kvp</c> (spec/kvp.md, spec/transport.md §7.1).
/// Foundation stage: the REGISTER1 handshake; every request is answered HV_E_FAIL
/// until the KVP service issue fills in the operations.
/// </summary>
public sealed class KvpChannel(IOptions<KvpOptions> options) : IHvChannel
{
    /// <summary>sizeof(struct hv_kvp_msg) (spec/kvp.md).</summary>
    public const int MessageSize = 7432;

    /// <summary>KVP_OP_REGISTER1: registration with IP-injection support (spec/transport.md §7.1).</summary>
    public const byte OpRegister1 = 100;

    public string Name => "kvp";

    public IDeviceEndpoint Device { get; } = new PathDeviceEndpoint(options.Value.DevicePath);

    public int MaxMessageSize => MessageSize;

    public int MaxReplySize => MessageSize;

    /// <summary>The version string the kernel sent with its handshake reply ("3.1"): the AUTO key IntegrationServicesVersion.</summary>
    public string? KernelVersion { get; private set; }

    public int WriteRegistration(Span<byte> message)
    {
        message[0] = OpRegister1;
        return MessageSize;
    }

    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply)
    {
        if (reply.Length != MessageSize || reply[0] != OpRegister1)
        {
            return false;
        }
        ReadOnlySpan<byte> version = reply.Slice(4, 512);
        int nul = version.IndexOf((byte)0);
        KernelVersion = Encoding.UTF8.GetString(nul < 0 ? version : version[..nul]);
        return true;
    }

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
