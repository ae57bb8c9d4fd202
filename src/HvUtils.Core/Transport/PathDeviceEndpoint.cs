using HvUtils.Core.Interop;

namespace HvUtils.Core.Transport;

/// <summary>
/// A device at a path: a char device is opened O_RDWR|O_CLOEXEC (spec/transport.md §3);
/// a Unix socket is connected as SOCK_SEQPACKET (the simulator, design.md).
/// </summary>
public sealed class PathDeviceEndpoint(string path) : IDeviceEndpoint
{
    public string Path { get; } = path;

    public string WatchDirectory => System.IO.Path.GetDirectoryName(Path) ?? "/";

    public DeviceOpenResult TryOpen()
    {
        long mode = Native.PathMode(Path);
        if (mode < 0)
        {
            int e = (int)-mode;
            return e is Errno.ENOENT or Errno.ENOTDIR
                ? DeviceOpenResult.Missing($"{Path} does not exist")
                : DeviceOpenResult.Failed($"cannot stat {Path}: {Errno.Describe(e)}");
        }
        return (mode & Native.S_IFMT) switch
        {
            Native.S_IFSOCK => ConnectSocket(),
            Native.S_IFCHR => OpenCharDevice(),
            _ => DeviceOpenResult.Failed($"{Path} is neither a character device nor a Unix socket"),
        };
    }

    private DeviceOpenResult OpenCharDevice()
    {
        int fd = Native.Open(Path, Native.O_RDWR | Native.O_CLOEXEC);
        if (fd >= 0)
        {
            return DeviceOpenResult.Opened(new CharDeviceTransport(fd, Path));
        }
        return -fd switch
        {
            Errno.ENOENT or Errno.ENODEV or 6 /* ENXIO */ => DeviceOpenResult.Missing($"{Path} has no driver behind it"),
            Errno.EBUSY => DeviceOpenResult.Busy($"{Path} is in use by another process"),
            _ => DeviceOpenResult.Failed($"cannot open {Path}: {Errno.Describe(-fd)}"),
        };
    }

    private DeviceOpenResult ConnectSocket()
    {
        int fd = Native.ConnectSeqPacket(Path);
        if (fd >= 0)
        {
            return DeviceOpenResult.Opened(new SeqPacketTransport(fd, Path));
        }
        // ECONNREFUSED: a socket file with no listener yet (the simulator is starting or
        // gone). Retried with back-off, since no inotify event may follow.
        return DeviceOpenResult.Failed($"cannot connect to {Path}: {Errno.Describe(-fd)}");
    }
}
