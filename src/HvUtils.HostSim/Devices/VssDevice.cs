namespace HvUtils.HostSim.Devices;

/// <summary>The kernel side of <c>/dev/vmbus/hv_vss</c> (spec/transport.md §5, §7.2).</summary>
public sealed class VssDevice(string path) : SimulatedDevice("vss", path)
{
    /// <summary>sizeof(struct hv_vss_msg).</summary>
    public const int MessageSize = 12;

    /// <summary>Exactly 12 bytes; 129 (REGISTER1) is answered with the 4 bytes 81 00 00 00, 128 (legacy) with nothing.</summary>
    protected override byte[]? Register(ReadOnlySpan<byte> message)
    {
        if (message.Length != MessageSize)
        {
            return null;
        }
        return message[0] switch
        {
            129 => [129, 0, 0, 0],
            128 => [],
            _ => null,
        };
    }

    /// <summary>The faked THAW the kernel queues on hibernation (operation 6, spec/transport.md §11).</summary>
    protected override byte[]? HibernationMessage => [6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    protected override bool IsValidReplyLength(int length) => length == MessageSize;
}
