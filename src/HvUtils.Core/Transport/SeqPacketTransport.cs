using HvUtils.Core.Interop;

namespace HvUtils.Core.Transport;

/// <summary>
/// A device path that is a Unix socket (the host simulator): a SOCK_SEQPACKET
/// connection with char-device semantics (design.md). A socket silently truncates an
/// oversize message, so it is read with MSG_TRUNC and refused as the char device
/// refuses it (EINVAL). The simulator's "kernel refuses" convention is a closed
/// connection; a close before the first byte is the second-opener case, reported as EBUSY.
/// </summary>
public sealed class SeqPacketTransport : IDeviceTransport
{
    private int _fd;
    private bool _receivedAny;

    public SeqPacketTransport(int fd, string path)
    {
        _fd = fd;
        Description = $"{path} (simulator socket)";
    }

    public string Description { get; }

    public int Fd => _fd;

    public int Read(Span<byte> buffer)
    {
        long n = Native.ReceiveMessage(_fd, buffer, Native.MSG_DONTWAIT);
        if (n == -Errno.EAGAIN)
        {
            return 0;
        }
        if (n < 0)
        {
            int e = (int)-n;
            if (!_receivedAny && e is Errno.ECONNRESET or Errno.EPIPE)
            {
                // Closed while our registration sat unread: the second-opener refusal (EBUSY).
                throw new DeviceIoException($"{Description} is in use by another process", Errno.EBUSY);
            }
            throw new DeviceIoException($"read from {Description} failed: {Errno.Describe(e)}", e);
        }
        if (n == 0)
        {
            if (!_receivedAny)
            {
                throw new DeviceIoException($"{Description} is in use by another process", Errno.EBUSY);
            }
            throw new DeviceIoException($"{Description} closed by the host side");
        }
        _receivedAny = true;
        if (n > buffer.Length)
        {
            throw new DeviceIoException($"read from {Description} failed: a {n}-byte message does not fit the {buffer.Length}-byte buffer", Errno.EINVAL);
        }
        return (int)n;
    }

    public void Write(ReadOnlySpan<byte> message)
    {
        long n = Native.SendMessage(_fd, message);
        if (n < 0)
        {
            int e = (int)-n;
            if (!_receivedAny && (e == Errno.EPIPE || e == Errno.ECONNRESET))
            {
                throw new DeviceIoException($"{Description} is in use by another process", Errno.EBUSY);
            }
            throw new DeviceIoException($"write to {Description} failed: {Errno.Describe(e)}", e);
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
