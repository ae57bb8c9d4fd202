using System.Text;

namespace HvUtils.HostSim.Devices;

/// <summary>The kernel side of <c>/dev/vmbus/hv_kvp</c> (spec/transport.md §5, §7.1).</summary>
public sealed class KvpDevice(string path) : SimulatedDevice("kvp", path)
{
    /// <summary>sizeof(struct hv_kvp_msg).</summary>
    public const int MessageSize = 7432;

    /// <summary>The version string the kernel returns in its handshake reply.</summary>
    public const string KernelVersion = "3.1";

    /// <summary>Registration: at least 7432 bytes, opcode 100 (KVP_OP_REGISTER1) or 4 (legacy); the reply echoes the opcode and carries "3.1".</summary>
    protected override byte[]? Register(ReadOnlySpan<byte> message)
    {
        if (message.Length < MessageSize || (message[0] != 100 && message[0] != 4))
        {
            return null;
        }
        byte[] reply = new byte[MessageSize];
        reply[0] = message[0];
        Encoding.ASCII.GetBytes(KernelVersion, reply.AsSpan(4));
        return reply;
    }

    /// <summary>Replies must be at least 7432 bytes; only the first 7432 are read.</summary>
    protected override bool IsValidReplyLength(int length) => length >= MessageSize;
}
