using System.Buffers.Binary;

namespace HvUtils.HostSim.Devices;

/// <summary>The kernel side of the legacy <c>/dev/vmbus/hv_fcopy</c> (spec/transport.md §5, §7.3).</summary>
public sealed class FcopyDevice(string path) : SimulatedDevice("fcopy", path)
{
    /// <summary>Exactly 4 bytes: version 1 is answered with 1, version 0 (legacy) with nothing.</summary>
    protected override byte[]? Register(ReadOnlySpan<byte> message)
    {
        if (message.Length != 4)
        {
            return null;
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(message) switch
        {
            1 => [1, 0, 0, 0],
            0 => [],
            _ => null,
        };
    }

    /// <summary>The faked CANCEL_FCOPY the kernel queues on hibernation: a bare 36-byte hv_fcopy_hdr (spec/transport.md §11).</summary>
    protected override byte[]? HibernationMessage => Fcopy.FcopyMessages.Header(HvUtils.Fcopy.FcopyWire.CancelFcopy);

    /// <summary>The reply is the 4-byte status.</summary>
    protected override bool IsValidReplyLength(int length) => length == 4;
}
