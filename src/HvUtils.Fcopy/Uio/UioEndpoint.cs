using HvUtils.Core.Interop;
using HvUtils.Core.Transport;

namespace HvUtils.Fcopy.Uio;

/// <summary>
/// Opens the fcopy UIO device (spec/fcopy.md B.1, B.2): discovery through sysfs, the node
/// <c>{DevRoot}/uioN</c> opened O_RDWR|O_NONBLOCK (the first opener makes the kernel open the
/// channel), the 2R-byte ring mapping from the node itself or from <c>Fcopy:UioRingPath</c>.
/// </summary>
public sealed class UioEndpoint(FcopyOptions options, Action<string>? warn = null) : IDeviceEndpoint
{
    private bool _bindTried;

    public string Path => System.IO.Path.Combine(options.DevRoot, "uio*") + " (fcopy)";

    /// <summary>/dev: where uioN appears once uio_hv_generic binds the channel.</summary>
    public string WatchDirectory => options.DevRoot;

    public DeviceOpenResult TryOpen()
    {
        UioDevice? device = UioDiscovery.Find(options.SysfsRoot, out string detail, out string? unbound);
        if (device is null && unbound is not null && options.AutoBindUio && !_bindTried)
        {
            _bindTried = true;
            string? error = UioDiscovery.Bind(options.SysfsRoot);
            if (error is not null)
            {
                warn?.Invoke(error);
            }
            device = UioDiscovery.Find(options.SysfsRoot, out detail, out _);
        }
        if (device is null)
        {
            return DeviceOpenResult.Missing(detail);
        }
        string node = System.IO.Path.Combine(options.DevRoot, device.UioName);
        long mode = Native.PathMode(node);
        if (mode < 0)
        {
            return DeviceOpenResult.Missing($"{node} does not exist");
        }
        bool socket = (mode & Native.S_IFMT) == Native.S_IFSOCK;
        int fd = socket ? Native.ConnectSeqPacket(node) : Native.Open(node, Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0)
        {
            return fd == -Errno.EBUSY
                ? DeviceOpenResult.Busy($"{node} is in use by another process")
                : DeviceOpenResult.Failed($"cannot open {node}: {Errno.Describe(-fd)}");
        }
        var signal = new UioSignal(fd, socket, node);
        nint map = MapRings(fd, 2L * device.RingSize, out string? error2);
        if (map == 0)
        {
            signal.Dispose();
            return DeviceOpenResult.Failed(error2!);
        }
        return DeviceOpenResult.Opened(new UioTransport(signal, map, device.RingSize, $"{node} (uio, {device.RingSize}-byte rings)", warn));
    }

    private nint MapRings(int nodeFd, long length, out string? error)
    {
        error = null;
        int fd = nodeFd;
        if (options.UioRingPath.Length > 0)
        {
            fd = Native.Open(options.UioRingPath, Native.O_RDWR | Native.O_CLOEXEC);
            if (fd < 0)
            {
                error = $"cannot open {options.UioRingPath}: {Errno.Describe(-fd)}";
                return 0;
            }
        }
        nint map = Native.MapShared(fd, length);
        if (fd != nodeFd)
        {
            Native.Close(fd);
        }
        if (map < 0)
        {
            error = $"cannot map {length} bytes of rings: {Errno.Describe((int)-map)}";
            return 0;
        }
        return map;
    }
}
