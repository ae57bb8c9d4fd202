using HvUtils.Core.Channels;
using HvUtils.Fcopy;

namespace HvUtils.HostSim.Fcopy;

/// <summary>The outcome of one host-side copy: the failing step's status, or success.</summary>
public sealed record FcopyResult(uint Status, string Step, long Bytes)
{
    public bool Succeeded => Status == HvStatus.S_OK;

    public override string ToString() => Succeeded
        ? $"copied {Bytes} bytes"
        : $"{Step} answered 0x{Status:x8} ({HvStatus.Outcome(Status)})";
}

/// <summary>What Hyper-V's Copy-VMFile does: START, WRITE in 6,144-byte fragments, COMPLETE (CANCEL after a failed write).</summary>
public static class FcopyHost
{
    public static async Task<FcopyResult> CopyAsync(IFcopyHostLink link, Stream source, long length, string pathName, string fileName, uint flags,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        uint status = await link.SendAsync(link.Start(fileName, pathName, flags, (ulong)length), cancellationToken).ConfigureAwait(false);
        if (status != HvStatus.S_OK)
        {
            return new FcopyResult(status, "START_FILE_COPY", 0);
        }
        byte[] message = new byte[FcopyWire.WriteSize];
        byte[] chunk = new byte[FcopyWire.DataFragment];
        long sent = 0;
        while (true)
        {
            int n = await source.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            FcopyMessages.FillWrite(message, (ulong)sent, chunk.AsSpan(0, n));
            status = await link.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (status != HvStatus.S_OK)
            {
                await link.SendAsync(FcopyMessages.Header(FcopyWire.CancelFcopy), cancellationToken).ConfigureAwait(false);
                return new FcopyResult(status, "WRITE_TO_FILE", sent);
            }
            sent += n;
            progress?.Report(sent);
        }
        status = await link.SendAsync(FcopyMessages.Header(FcopyWire.CompleteFcopy), cancellationToken).ConfigureAwait(false);
        return new FcopyResult(status, "COMPLETE_FCOPY", sent);
    }

    public static async Task<FcopyResult> CopyFileAsync(IFcopyHostLink link, string localPath, string pathName, string fileName, uint flags,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using FileStream f = File.OpenRead(localPath);
        return await CopyAsync(link, f, f.Length, pathName, fileName, flags, progress, cancellationToken).ConfigureAwait(false);
    }
}
