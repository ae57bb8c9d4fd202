using System.Buffers.Binary;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;

namespace HvUtils.Fcopy.Uio;

/// <summary>
/// The interrupt side of <c>/dev/uioN</c> (spec/fcopy.md B.2): a 4-byte read returns the
/// interrupt counter, a 4-byte non-zero write unmasks the RX ring and signals the host. In the
/// simulator the node is a SEQPACKET socket exchanging the same 4-byte little-endian values.
/// </summary>
public sealed class UioSignal : IDisposable
{
    private readonly bool _socket;
    private int _fd;

    public UioSignal(int fd, bool socket, string path)
    {
        _fd = fd;
        _socket = socket;
        Path = path;
    }

    public int Fd => _fd;

    public string Path { get; }

    /// <summary>
    /// Takes one pending interrupt (B.2: one read resets the node's readiness). On the
    /// simulator's socket each interrupt is its own datagram; one is taken per wake-up, as one
    /// read serves /dev/uioN — a second one queued (rare: the host interrupts only a ring that was
    /// empty) wakes the runner again, which finds the ring drained and just signals. Reading
    /// until EAGAIN would cost every message a second syscall. EIO = channel rescinded.
    /// </summary>
    public void Consume()
    {
        Span<byte> counter = stackalloc byte[4];
        long n = _socket ? Native.ReceiveMessage(_fd, counter, Native.MSG_DONTWAIT) : Native.Read(_fd, counter);
        if (n == -Errno.EAGAIN)
        {
            return;
        }
        if (n < 0)
        {
            throw new DeviceIoException($"read from {Path} failed: {Errno.Describe((int)-n)}", (int)-n);
        }
        if (n == 0)
        {
            throw new DeviceIoException($"{Path} closed by the host side");
        }
    }

    /// <summary>write(fd, 1): unmask the RX ring and interrupt the host.</summary>
    public void Signal()
    {
        Span<byte> one = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(one, 1);
        long n = _socket ? Native.SendNonBlocking(_fd, one) : Native.Write(_fd, one);
        if (n == -Errno.EAGAIN && _socket)
        {
            return; // the host has unread signals already
        }
        if (n != 4)
        {
            throw new DeviceIoException($"signalling through {Path} failed: {(n < 0 ? Errno.Describe((int)-n) : "short write")}", n < 0 ? (int)-n : 0);
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
