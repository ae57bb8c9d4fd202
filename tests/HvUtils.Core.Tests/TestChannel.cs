using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Transport;

namespace HvUtils.Core.Tests;

/// <summary>
/// A KVP-shaped channel for runner tests: registers with opcode 100 on 7432-byte messages
/// and answers each request with status 0 and the request's bytes 4.. echoed.
/// </summary>
internal sealed class TestChannel(string devicePath) : IHvChannel
{
    public const int Size = 7432;

    public string Name => "test";

    public IDeviceEndpoint Device { get; } = new PathDeviceEndpoint(devicePath);

    public int MaxMessageSize => Size;

    public int MaxReplySize => Size;

    public int Resets;

    public Func<ReadOnlySpan<byte>, bool>? ThrowWhen { get; set; }

    /// <summary>Allocated bytes on the runner thread, sampled at the request carrying this marker in byte 1.</summary>
    public long[] AllocationSamples { get; } = new long[256];

    public int WriteRegistration(Span<byte> message)
    {
        message[0] = 100;
        return Size;
    }

    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply) => reply.Length == Size && reply[0] == 100;

    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        if (request.Length > 1 && request[0] == 0xA5)
        {
            AllocationSamples[request[1]] = GC.GetAllocatedBytesForCurrentThread();
        }
        if (ThrowWhen?.Invoke(request) == true)
        {
            throw new InvalidOperationException("test channel failure");
        }
        request[4..].CopyTo(reply[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.S_OK);
        return new HandledMessage(Size, "echo", "success");
    }

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.E_FAIL);
        return Size;
    }

    public void OnConnectionReset() => Interlocked.Increment(ref Resets);
}
