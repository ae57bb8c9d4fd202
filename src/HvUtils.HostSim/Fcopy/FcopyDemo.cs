using System.Security.Cryptography;
using HvUtils.Fcopy;
using HvUtils.HostSim.Demo;

namespace HvUtils.HostSim.Fcopy;

/// <summary>
/// The demo's FCOPY step: a file copied into a temp directory over the legacy device (the demo's
/// daemon) and over the UIO ring (a second hvutilsd started for it, since one daemon has one
/// fcopy transport), each verified byte for byte.
/// </summary>
public sealed class FcopyDemo : IDemoStep
{
    public string Title => "FCOPY: host-to-guest file copy over the legacy device and the UIO ring";

    public async Task RunAsync(DemoSession s)
    {
        string source = Path.Combine(s.WorkDirectory, "fcopy-source.bin");
        byte[] data = RandomNumberGenerator.GetBytes(1_000_000);
        await File.WriteAllBytesAsync(source, data).ConfigureAwait(false);
        string dest = Path.Combine(s.WorkDirectory, "guest", "incoming");

        await CopyAndVerifyAsync(s, new LegacyFcopyLink(s.Simulator.Fcopy), source, Path.Combine(dest, "legacy"), data).ConfigureAwait(false);
        s.Say("The same START again without OVER_WRITE:");
        FcopyResult again = await FcopyHost.CopyFileAsync(new LegacyFcopyLink(s.Simulator.Fcopy), source, Path.Combine(dest, "legacy"), "copy.bin", 0).ConfigureAwait(false);
        s.Say($"  {again} — the existing file was left alone.");

        s.Say("Starting a second hvutilsd with Fcopy:Transport=uio against a simulated 6.10+ kernel (fake sysfs, shared ring file, interrupt socket)...");
        await using FcopySimSession uio = await FcopySimSession.StartAsync("uio", Path.Combine(s.WorkDirectory, "fcopy-uio")).ConfigureAwait(false);
        s.Say($"It found the device by class GUID, mapped two {uio.Uio!.RingSize}-byte rings and negotiated framework 3.0 / fcopy 1.1 (status 0x{uio.Uio.NegotiatedStatus:x8}).");
        await CopyAndVerifyAsync(s, uio.Link, source, Path.Combine(dest, "uio"), data).ConfigureAwait(false);
        int code = await uio.Daemon.StopAsync().ConfigureAwait(false);
        s.Say($"The UIO daemon stopped with code {code}.");
    }

    private static async Task CopyAndVerifyAsync(DemoSession s, IFcopyHostLink link, string source, string directory, byte[] data)
    {
        FcopyResult r = await FcopyHost.CopyFileAsync(link, source, directory, "copy.bin", FcopyWire.CreatePath).ConfigureAwait(false);
        string target = Path.Combine(directory, "copy.bin");
        bool same = r.Succeeded && File.Exists(target) && (await File.ReadAllBytesAsync(target).ConfigureAwait(false)).AsSpan().SequenceEqual(data);
        s.Say($"[{link.Name}] START (CREATE_PATH) + {(data.Length + FcopyWire.DataFragment - 1) / FcopyWire.DataFragment} WRITEs + COMPLETE into {directory}: {r}; content {(same ? "verified" : "DIFFERENT")}.");
        if (!same)
        {
            throw new InvalidOperationException($"fcopy over {link.Name} did not produce an identical file");
        }
    }
}
