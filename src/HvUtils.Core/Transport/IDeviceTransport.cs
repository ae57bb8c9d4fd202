namespace HvUtils.Core.Transport;

/// <summary>
/// One open connection to a device: whole messages in, whole messages out
/// (spec/transport.md §4–§5). Implementations: the char device, a SEQPACKET socket
/// (the simulator), and the FCOPY UIO ring.
/// </summary>
public interface IDeviceTransport : IDisposable
{
    /// <summary>What is open, for log lines (path and kind).</summary>
    string Description { get; }

    /// <summary>The descriptor the runner waits on with epoll for EPOLLIN.</summary>
    int Fd { get; }

    /// <summary>False when the transport negotiates by itself (the UIO ring): the runner then skips the channel's handshake.</summary>
    bool NeedsRegistration => true;

    /// <summary>
    /// True while more messages can be read without waiting (the UIO ring may hold several
    /// packets per interrupt, or packets that came before it was opened): the runner reads
    /// them before it waits on <see cref="Fd"/> again, also right after opening.
    /// </summary>
    bool HasPendingMessage => false;

    /// <summary>
    /// Reads exactly one message into <paramref name="buffer"/> and returns its length;
    /// 0 when the wake-up carried no message. Throws <see cref="DeviceIoException"/> on
    /// an error, end of stream or a message larger than the buffer.
    /// </summary>
    int Read(Span<byte> buffer);

    /// <summary>Writes one whole message; throws <see cref="DeviceIoException"/> when the device refuses it.</summary>
    void Write(ReadOnlySpan<byte> message);
}
