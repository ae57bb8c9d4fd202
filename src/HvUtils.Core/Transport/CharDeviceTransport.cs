using HvUtils.Core.Interop;

namespace HvUtils.Core.Transport;

/// <summary>A <c>/dev/vmbus/hv_*</c> misc device: one read or write per message (spec/transport.md §4–§5).</summary>
public sealed class CharDeviceTransport : IDeviceTransport
{
    private int _fd;

    public CharDeviceTransport(int fd, string path)
    {
        _fd = fd;
        Description = $"{path} (char device)";
    }

    public string Description { get; }

    public int Fd => _fd;

    public int Read(Span<byte> buffer)
    {
        long n = Native.Read(_fd, buffer);
        if (n < 0)
        {
            // EINVAL: the queued message is larger than our buffer (§4); EAGAIN: woken without one.
            if (n == -Errno.EAGAIN)
            {
                return 0;
            }
            throw new DeviceIoException($"read from {Description} failed: {Errno.Describe((int)-n)}", (int)-n);
        }
        if (n == 0)
        {
            throw new DeviceIoException($"read from {Description} returned end of file");
        }
        return (int)n;
    }

    public void Write(ReadOnlySpan<byte> message)
    {
        long n = Native.Write(_fd, message);
        if (n < 0)
        {
            throw new DeviceIoException($"write to {Description} failed: {Errno.Describe((int)-n)}", (int)-n);
        }
        if (n != message.Length)
        {
            throw new DeviceIoException($"short write to {Description}: {n} of {message.Length} bytes");
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Native.Close(fd);
        }
    }
}
