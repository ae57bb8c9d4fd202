using HvUtils.Core.Configuration;
using HvUtils.Vss.Freezing;

namespace HvUtils.Cli.Vss;

/// <summary><c>hvutils vss thaw</c>: thaws what the freeze marker lists; exit 1 when any thaw failed.</summary>
public static class VssThawCommand
{
    public static int Run(RuntimeOptions runtime, TextWriter output, TextWriter error)
    {
        var marker = new FreezeMarker(runtime.Directory);
        if (marker.Read().Count == 0)
        {
            output.WriteLine($"nothing to thaw: {marker.Path} lists no frozen filesystem");
            return 0;
        }
        int failed = FreezeRecovery.ThawListed(KernelFreezeControl.Instance, marker, output.WriteLine);
        if (failed > 0)
        {
            error.WriteLine($"hvutils: {failed} filesystem(s) could not be thawed; {marker.Path} keeps listing them");
            return 1;
        }
        return 0;
    }
}
