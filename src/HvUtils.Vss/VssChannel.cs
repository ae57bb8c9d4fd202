using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Core.Interop;
using HvUtils.Core.Telemetry;
using HvUtils.Core.Transport;
using HvUtils.Vss.Freezing;
using HvUtils.Vss.Hooks;
using HvUtils.Vss.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Vss;

/// <summary>
/// The VSS channel on <c>/dev/vmbus/hv_vss</c> (spec/vss.md, spec/transport.md §7.2): the
/// REGISTER1 handshake, FREEZE and THAW through the <see cref="FreezePlanner"/>,
/// <see cref="Freezer"/> and <see cref="FreezeHooks"/>, HOT_BACKUP answered with success
/// (§6), anything else answered HV_E_FAIL. Every freeze ends: on THAW, on our own deadline,
/// on a device reset or shutdown, and at the next start-up through the freeze marker.
/// </summary>
public sealed partial class VssChannel : IHvChannel, IDisposable
{
    private readonly FreezeLogBuffer _log;
    private readonly VssMetrics? _metrics;
    private readonly BlockDevices? _devices;
    private readonly IOptionsMonitor<VssOptions>? _live;
    private readonly FreezeMarker _marker;
    private readonly Freezer _freezer;
    private VssOptions _options;
    private FreezePlanner _planner;
    private FreezeHooks _hooks;
    private readonly FreezeTimer _timer = new();
    private readonly ChannelEventSource[] _sources;

    public VssChannel(IOptionsMonitor<VssOptions> options, IOptions<RuntimeOptions> runtime, ILoggerFactory loggerFactory, HvUtilsMetrics? metrics = null)
        : this(options.CurrentValue, runtime.Value.Directory, loggerFactory.CreateLogger("HvUtils.Vss"), metrics, KernelFreezeControl.Instance, null)
    {
        _live = options;
    }

    internal VssChannel(VssOptions options, string runtimeDirectory, ILogger logger, HvUtilsMetrics? metrics, IFreezeControl control, BlockDevices? devices)
    {
        _options = options;
        _devices = devices;
        _log = new FreezeLogBuffer(logger);
        _metrics = metrics is null ? null : new VssMetrics(metrics, () => _frozenCount);
        _planner = new FreezePlanner(options, devices);
        _marker = new FreezeMarker(runtimeDirectory);
        _freezer = new Freezer(control, _marker, options.AlreadyFrozen, _log);
        _hooks = new FreezeHooks(options.HooksDirectory, options.HookTimeout, _log, _metrics);
        _sources = [new ChannelEventSource(_timer.Fd, Native.EPOLLIN, OnTimer)];
        Device = new PathDeviceEndpoint(options.DevicePath);
        ThawWhatPredecessorLeft(control);
    }

    public string Name => "vss";

    public IDeviceEndpoint Device { get; }

    public int MaxMessageSize => VssMessage.Size;

    public int MaxReplySize => VssMessage.Size;

    /// <summary>A FREEZE runs hooks and may legitimately take up to the kernel's 15-minute FREEZE timeout (spec/vss.md §8).</summary>
    public TimeSpan MaxHandleDuration => TimeSpan.FromMinutes(15);

    public IReadOnlyList<ChannelEventSource> EventSources => _sources;

    /// <summary>Mounts frozen now, in freeze order (for status; safe from any thread).</summary>
    public IReadOnlyList<string> FrozenMounts => _frozenSnapshot;

    /// <summary>True while anything is frozen or a thaw is pending: configuration reloads and other disk writers should wait (design.md rule 4).</summary>
    public bool IsFrozen => _frozenCount > 0 || _thawPending;

    /// <summary>True while a failed thaw is being retried; FREEZE is refused meanwhile.</summary>
    public bool ThawPending => _thawPending;

    /// <summary>The log buffer of the VSS path (tests assert it holds while frozen).</summary>
    internal FreezeLogBuffer Log => _log;

    public int WriteRegistration(Span<byte> message) => VssMessage.WriteRegistration(message);

    /// <summary>The kernel answers REGISTER1 with its own version, the 4 bytes 81 00 00 00.</summary>
    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply) => VssMessage.IsHandshakeReply(reply);

    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        if (!VssMessage.IsWellFormed(request))
        {
            // spec/vss.md §8: a read of the wrong length → thaw anything frozen, then reset the device.
            _log.LogError("malformed {Length}-byte VSS message (expected {Size}); thawing and resetting the device", request.Length, VssMessage.Size);
            ThawIfFrozen("reset");
            return new HandledMessage(0, "malformed", "invalid_message", ResetDevice: true);
        }
        VssOperation op = VssMessage.OperationOf(request);
        uint status;
        string outcome;
        switch (op)
        {
            case VssOperation.Freeze:
                (status, outcome) = Freeze();
                break;
            case VssOperation.Thaw:
                (status, outcome) = Thaw();
                break;
            case VssOperation.HotBackup:
                // spec/vss.md §6: status 0 and nothing else (the flag cannot be set without a non-zero status).
                (status, outcome) = (HvStatus.S_OK, "success");
                break;
            default:
                // The C daemon answers success; an operation we do not implement gets an error (quirks.md).
                _log.LogWarning("unknown VSS operation {Operation}; answering HV_E_FAIL", (int)op);
                (status, outcome) = (HvStatus.E_FAIL, "unknown_operation");
                break;
        }
        return new HandledMessage(VssMessage.WriteReply(request, reply, status), VssMessage.Name(op), outcome);
    }

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply) => VssMessage.WriteReply(request, reply, HvStatus.E_FAIL);

    /// <summary>The device closed (error, hibernation's fake THAW, shutdown): thaw anything frozen (spec/vss.md §8).</summary>
    public void OnConnectionReset() => ThawIfFrozen("reset");

    public void Dispose()
    {
        ThawIfFrozen("shutdown");
        _timer.Dispose();
    }

    private void ThawWhatPredecessorLeft(IFreezeControl control)
    {
        IReadOnlyList<string> listed = _marker.Read();
        if (listed.Count == 0)
        {
            return;
        }
        _log.LogWarning("{Marker} lists {Count} filesystem(s) a previous hvutilsd left frozen; thawing them", _marker.Path, listed.Count);
        int failed = FreezeRecovery.ThawListed(control, _marker, line => _log.LogWarning("start-up thaw: {Line}", line));
        if (failed > 0)
        {
            _log.LogCritical("start-up thaw: {Failed} filesystem(s) could not be thawed; run 'hvutils vss thaw' or fsfreeze --unfreeze", failed);
        }
    }
}
