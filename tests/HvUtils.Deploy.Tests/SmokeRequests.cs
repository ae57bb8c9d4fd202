using HvUtils.HostSim.Devices;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// One harmless host request per service for the AOT smoke: nothing is frozen, written or
/// changed. Each reply has a fixed size the kernel checks (spec/transport.md §5), whatever its status.
/// </summary>
public static class SmokeRequests
{
    /// <summary>KVP_OP_ENUMERATE (3) of the AUTO pool (3), index 0 (spec/kvp.md): 7432 bytes in, 7432 out.</summary>
    public static byte[] KvpEnumerateAuto()
    {
        byte[] m = new byte[KvpDevice.MessageSize];
        m[0] = 3;
        m[1] = 3;
        return m;
    }

    /// <summary>VSS_OP_HOT_BACKUP (2) (spec/vss.md §6): 12 bytes in, 12 out.</summary>
    public static byte[] VssHotBackup()
    {
        byte[] m = new byte[VssDevice.MessageSize];
        m[0] = 2;
        return m;
    }

    /// <summary>CANCEL_FCOPY (3), a bare 36-byte hv_fcopy_hdr (spec/fcopy.md): 4-byte status out.</summary>
    public static byte[] FcopyCancel()
    {
        byte[] m = new byte[36];
        m[0] = 3;
        return m;
    }

    /// <summary>The 32-bit status every reply starts with (little-endian).</summary>
    public static uint Status(byte[] reply) => BitConverter.ToUInt32(reply, 0);
}
