using HvUtils.Fcopy;

namespace HvUtils.HostSim.Fcopy;

/// <summary>The arguments of <c>fcopy send LOCAL DEST [--create-path] [--overwrite]</c>, shared by the direct command and the control command.</summary>
public sealed record FcopySendRequest(string Local, string DestinationDirectory, string FileName, uint Flags)
{
    /// <summary>DEST is the guest path of the new file; a trailing '/' means "into this directory, same name".</summary>
    public static FcopySendRequest Create(string local, string dest, bool createPath, bool overwrite)
    {
        string full = Path.GetFullPath(local);
        string dir;
        string name;
        if (dest.EndsWith('/'))
        {
            dir = dest.TrimEnd('/');
            name = Path.GetFileName(full);
        }
        else
        {
            int slash = dest.LastIndexOf('/');
            dir = slash <= 0 ? "/" : dest[..slash];
            name = dest[(slash + 1)..];
        }
        uint flags = (createPath ? FcopyWire.CreatePath : 0) | (overwrite ? FcopyWire.OverWrite : 0);
        return new FcopySendRequest(full, dir.Length == 0 ? "/" : dir, name, flags);
    }

    public async Task<int> RunAsync(IFcopyHostLink link, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        long length = new FileInfo(Local).Length;
        output.WriteLine($"Copying {Local} ({length} bytes) to {DestinationDirectory}/{FileName} over the {link.Name} transport (flags 0x{Flags:x}).");
        var bar = new ProgressBar(output, length, interactive);
        FcopyResult result = await FcopyHost.CopyFileAsync(link, Local, DestinationDirectory, FileName, Flags, bar, cancellationToken).ConfigureAwait(false);
        bar.Finish();
        output.WriteLine(result.Succeeded ? $"Done: {result}." : $"Failed: {result}.");
        return result.Succeeded ? 0 : 1;
    }

    public string[] ToWords()
    {
        var w = new List<string> { "fcopy", "send", Local, $"{DestinationDirectory.TrimEnd('/')}/{FileName}" };
        if ((Flags & FcopyWire.CreatePath) != 0)
        {
            w.Add("--create-path");
        }
        if ((Flags & FcopyWire.OverWrite) != 0)
        {
            w.Add("--overwrite");
        }
        return [.. w];
    }
}
