using HvUtils.Core.Transport;
using HvUtils.Fcopy.Uio;

namespace HvUtils.Fcopy;

/// <summary>
/// Fcopy:Transport (spec/fcopy.md intro): <c>legacy</c> = <c>/dev/vmbus/hv_fcopy</c> (≤ 6.9),
/// <c>uio</c> = the UIO ring (≥ 6.10), <c>auto</c> = the legacy device when it exists, else UIO
/// (a kernel has one or the other, never both).
/// </summary>
public sealed class FcopyEndpoint : IDeviceEndpoint
{
    private readonly PathDeviceEndpoint _legacy;
    private readonly UioEndpoint _uio;
    private readonly string _mode;

    public FcopyEndpoint(FcopyOptions options, Action<string>? warn = null)
    {
        _legacy = new PathDeviceEndpoint(options.DevicePath);
        _uio = new UioEndpoint(options, warn);
        _mode = options.Transport;
    }

    public string Path => _mode switch
    {
        "legacy" => _legacy.Path,
        "uio" => _uio.Path,
        _ => $"{_legacy.Path} or {_uio.Path}",
    };

    public string WatchDirectory => _mode == "legacy" ? _legacy.WatchDirectory : _uio.WatchDirectory;

    public DeviceOpenResult TryOpen()
    {
        if (_mode == "uio")
        {
            return _uio.TryOpen();
        }
        DeviceOpenResult legacy = _legacy.TryOpen();
        if (_mode == "legacy" || legacy.Outcome != DeviceOpenOutcome.Missing)
        {
            return legacy;
        }
        DeviceOpenResult uio = _uio.TryOpen();
        return uio.Outcome == DeviceOpenOutcome.Missing
            ? DeviceOpenResult.Missing($"{legacy.Detail}; {uio.Detail}")
            : uio;
    }
}
