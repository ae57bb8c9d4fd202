namespace HvUtils.Core.Transport;

/// <summary>Where a channel's device lives and how to open it.</summary>
public interface IDeviceEndpoint
{
    /// <summary>The configured device path, for log lines and status.</summary>
    string Path { get; }

    /// <summary>The directory whose changes may make the device appear (watched with inotify while waiting).</summary>
    string WatchDirectory { get; }

    /// <summary>Tries to open the device once.</summary>
    DeviceOpenResult TryOpen();
}

public enum DeviceOpenOutcome
{
    /// <summary>Open; <see cref="DeviceOpenResult.Transport"/> is set.</summary>
    Opened,

    /// <summary>The device does not exist (service not offered, module not loaded, simulator not started).</summary>
    Missing,

    /// <summary>Another process holds the device (EBUSY, spec/transport.md §3).</summary>
    Busy,

    /// <summary>Any other failure; retried with back-off.</summary>
    Failed,
}

public readonly record struct DeviceOpenResult(DeviceOpenOutcome Outcome, IDeviceTransport? Transport, string Detail)
{
    public static DeviceOpenResult Opened(IDeviceTransport transport) => new(DeviceOpenOutcome.Opened, transport, transport.Description);

    public static DeviceOpenResult Missing(string detail) => new(DeviceOpenOutcome.Missing, null, detail);

    public static DeviceOpenResult Busy(string detail) => new(DeviceOpenOutcome.Busy, null, detail);

    public static DeviceOpenResult Failed(string detail) => new(DeviceOpenOutcome.Failed, null, detail);
}
