namespace HvUtils.HostSim.Devices;

/// <summary>The kernel's per-service transaction state (spec/transport.md §2), plus "no daemon attached".</summary>
public enum DeviceState
{
    /// <summary>No daemon has the device open (transport mode INIT).</summary>
    Closed,

    /// <summary>Open but not registered (DEVICE_INIT).</summary>
    DeviceInit,

    /// <summary>Registered, no request in flight (READY).</summary>
    Ready,

    /// <summary>A request is queued for or read by the daemon, reply awaited (USERSPACE_REQ).</summary>
    UserspaceReq,
}
