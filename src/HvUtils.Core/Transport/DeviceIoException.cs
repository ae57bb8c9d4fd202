namespace HvUtils.Core.Transport;

/// <summary>
/// A device read, write or open failed; the runner answers it by closing, backing off,
/// reopening and registering again (spec/transport.md §11).
/// </summary>
public sealed class DeviceIoException(string message, int errno = 0) : IOException(message)
{
    /// <summary>The errno behind the failure, 0 when there was none (end of stream, protocol).</summary>
    public int Errno { get; } = errno;
}
