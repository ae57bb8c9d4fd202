using System.CommandLine;
using HvUtils.HostSim.Session;

namespace HvUtils.HostSim.Fcopy;

/// <summary>
/// <c>hvsim fcopy send LOCAL DEST [--create-path] [--overwrite] [--transport legacy|uio] [--dir D]</c>.
/// With <c>--dir</c> (legacy only) the copy is forwarded to the simulator serving there
/// (<c>hvsim serve --dir D</c>, whose daemon you started). Otherwise it starts its own session:
/// the chosen transport's host side in a temp directory and a real hvutilsd running only
/// FCOPY, then stops both.
/// </summary>
public static class FcopyCommand
{
    public static Command Create()
    {
        var local = new Argument<string>("LOCAL") { Description = "The file to copy (on this machine)." };
        var dest = new Argument<string>("DEST") { Description = "The guest path of the new file; ending in '/' keeps LOCAL's name." };
        var createPath = new Option<bool>("--create-path") { Description = "CREATE_PATH: create missing directories." };
        var overwrite = new Option<bool>("--overwrite") { Description = "OVER_WRITE: replace an existing file." };
        var transport = new Option<string>("--transport") { Description = "legacy (hv_fcopy char device) or uio (kernels ≥ 6.10 ring).", DefaultValueFactory = _ => "legacy" };
        transport.AcceptOnlyFromAmong("legacy", "uio");
        var dir = new Option<string?>("--dir") { Description = "Forward to the simulator serving in DIR (legacy only) instead of starting a private session." };
        var send = new Command("send", "Copy a file into the guest the way Copy-VMFile does, with a progress bar.") { local, dest, createPath, overwrite, transport, dir };
        send.SetAction(async (parse, cancel) =>
        {
            var request = FcopySendRequest.Create(parse.GetValue(local)!, parse.GetValue(dest)!, parse.GetValue(createPath), parse.GetValue(overwrite));
            string mode = parse.GetValue(transport)!;
            if (parse.GetValue(dir) is { } d)
            {
                if (mode != "legacy")
                {
                    Console.Error.WriteLine("hvsim: a serving simulator offers only the legacy device; drop --dir to use --transport uio");
                    return 2;
                }
                return await ControlServer.SendAsync(Path.Combine(Path.GetFullPath(d), "hvsim.sock"), request.ToWords(), Console.Out);
            }
            Console.WriteLine($"Starting the {mode} host side and hvutilsd (FCOPY only) in a private session...");
            await using FcopySimSession session = await FcopySimSession.StartAsync(mode);
            return await request.RunAsync(session.Link, Console.Out, !Console.IsOutputRedirected, cancel);
        });
        return new Command("fcopy", "Host-to-guest file copy (Guest services).") { send };
    }
}
