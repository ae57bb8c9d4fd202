using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Core.Telemetry;
using HvUtils.Core.Transport;
using HvUtils.Fcopy.Copy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Fcopy;

/// <summary>
/// The file-copy channel (spec/fcopy.md): the legacy char device with its version-1 handshake
/// (transport.md §7.3) or the UIO ring (which negotiates inside its transport); both feed the
/// same <see cref="FcopySession"/> and answer with a 4-byte status.
/// </summary>
public sealed class FcopyChannel : IHvChannel
{
    /// <summary>FCOPY_CURRENT_VERSION (FCOPY_VERSION_1).</summary>
    public const uint Version1 = 1;

    /// <summary>Reads need at least 6196 bytes; 8192 as fcopy.md part A advises.</summary>
    public const int ReadBufferSize = 8192;

    private readonly FcopySession _session;

    public FcopyChannel(IOptions<FcopyOptions> options, IOptions<RuntimeOptions> runtime, ILoggerFactory? loggerFactory = null, HvUtilsMetrics? metrics = null)
    {
        ILogger logger = (ILogger?)loggerFactory?.CreateLogger<FcopyChannel>() ?? NullLogger.Instance;
        Settings = FcopySettings.From(options.Value, Path.Combine(runtime.Value.Directory, "fcopy"), w => logger.LogWarning("{Warning}", w));
        // A named temp file of a copy interrupted by SIGKILL or power loss is removed now (issue 6 point 1).
        if (PendingFile.Sweep(Settings.RuntimeDirectory) is { } swept)
        {
            logger.LogInformation("fcopy: removed {Path} left by an interrupted copy", swept);
        }
        _session = new FcopySession(Settings, logger, metrics is null ? null : new FcopyMetrics(metrics));
        Device = new FcopyEndpoint(options.Value, w => logger.LogWarning("{Warning}", w));
    }

    public string Name => "fcopy";

    public IDeviceEndpoint Device { get; }

    public FcopySettings Settings { get; }

    public int MaxMessageSize => ReadBufferSize;

    public int MaxReplySize => 4;

    /// <summary>The kernel's per-request timeout is 30 s (§A.4); a COMPLETE's fsync of a large file is the longest step.</summary>
    public TimeSpan MaxHandleDuration => TimeSpan.FromSeconds(30);

    public int WriteRegistration(Span<byte> message)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, Version1);
        return 4;
    }

    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply) =>
        reply.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(reply) == Version1;

    /// <summary>
    /// One message: START 1088 bytes, WRITE up to 6196, COMPLETE/CANCEL any length ≥ 36
    /// (64 when the kernel forwards the framing, 36 when it fakes a CANCEL on hibernation, §A.2).
    /// </summary>
    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        uint operation = request.Length >= FcopyWire.HeaderSize ? FcopyWire.Operation(request) : uint.MaxValue;
        uint status = operation switch
        {
            FcopyWire.StartFileCopy => _session.Start(request),
            FcopyWire.WriteToFile => _session.Write(request),
            FcopyWire.CompleteFcopy => _session.Complete(),
            FcopyWire.CancelFcopy => _session.Cancel(),
            _ => HvStatus.E_FAIL,
        };
        BinaryPrimitives.WriteUInt32LittleEndian(reply, status);
        return new HandledMessage(4, FcopyWire.OperationName(operation), HvStatus.Outcome(status));
    }

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(reply, HvStatus.E_FAIL);
        return 4;
    }

    /// <summary>Reopen, hibernation, shutdown: an unfinished copy leaves nothing behind (§A.5 step 1).</summary>
    public void OnConnectionReset() => _session.Cancel();
}
