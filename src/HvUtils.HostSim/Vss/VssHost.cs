using System.Buffers.Binary;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Vss;

/// <summary>The daemon's answer to one host VSS request: the 32-bit status (spec/vss.md §5.1) and the raw 12 bytes.</summary>
public sealed record VssReply(uint Status, byte[] Raw)
{
    public const uint S_OK = 0;
    public const uint E_FAIL = 0x80004005;

    public bool Succeeded => Status == S_OK;

    public override string ToString() => Status == S_OK ? "success (status 0)" : $"failure (status 0x{Status:X8})";
}

/// <summary>
/// The host's side of VSS through the simulated kernel: FREEZE, THAW and HOT_BACKUP requests
/// with the kernel's per-operation timeouts (spec/vss.md §8: 900 s for FREEZE, 30 s for the
/// others), both settable so tests can shorten them.
/// </summary>
public sealed class VssHost(VssDevice device)
{
    public const byte OpHotBackup = 2;
    public const byte OpFreeze = 5;
    public const byte OpThaw = 6;

    public VssDevice Device { get; } = device;

    /// <summary>VSS_FREEZE_TIMEOUT.</summary>
    public TimeSpan FreezeTimeout { get; set; } = TimeSpan.FromSeconds(900);

    /// <summary>HV_UTIL_TIMEOUT for THAW and HOT_BACKUP.</summary>
    public TimeSpan OtherTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public Task<VssReply> FreezeAsync(CancellationToken cancellationToken = default) => RequestAsync(OpFreeze, cancellationToken);

    public Task<VssReply> ThawAsync(CancellationToken cancellationToken = default) => RequestAsync(OpThaw, cancellationToken);

    public Task<VssReply> HotBackupAsync(CancellationToken cancellationToken = default) => RequestAsync(OpHotBackup, cancellationToken);

    /// <summary>
    /// Sends the 12-byte message the kernel builds for the daemon (operation in byte 0, all
    /// else zero, spec/vss.md §3) and returns the reply. Throws <see cref="HostRequestException"/>
    /// when the kernel would answer the host HV_E_FAIL itself (no daemon, closed, timeout).
    /// </summary>
    public async Task<VssReply> RequestAsync(byte operation, CancellationToken cancellationToken = default)
    {
        byte[] message = new byte[VssDevice.MessageSize];
        message[0] = operation;
        TimeSpan timeout = operation == OpFreeze ? FreezeTimeout : OtherTimeout;
        byte[] reply = await Device.RequestAsync(message, timeout, cancellationToken).ConfigureAwait(false);
        return new VssReply(BinaryPrimitives.ReadUInt32LittleEndian(reply), reply);
    }
}
