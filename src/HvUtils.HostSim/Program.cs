using System.CommandLine;
using HvUtils.HostSim;
using HvUtils.HostSim.Demo;
using HvUtils.HostSim.Session;

// hvsim: the Hyper-V host and kernel side of every hvutilsd device, for people and tests.
var root = new RootCommand("Hyper-V host simulator for hvutilsd: plays the kernel side of /dev/vmbus/hv_kvp, hv_vss and hv_fcopy on Unix sockets.");

var demo = new Command("demo", "Start the simulator and the real hvutilsd in a temp directory, run a scripted host session, explain it, clean up.");
demo.SetAction((_, _) => DemoScript.RunAsync(Console.Out));
root.Subcommands.Add(demo);

var dirOption = new Option<string>("--dir")
{
    Description = "The simulator's directory: devices under DIR/vmbus/, control socket DIR/hvsim.sock (default: $HVSIM_DIR or ./hvsim).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HVSIM_DIR") ?? Path.GetFullPath("hvsim"),
};

var serve = new Command("serve", "Create the devices and serve until Ctrl-C; point hvutilsd's DevicePath settings at them. Other hvsim commands then act as the host.") { dirOption };
serve.SetAction(async (parse, cancel) =>
{
    string dir = Path.GetFullPath(parse.GetValue(dirOption)!);
    await using HostSimulator sim = HostSimulator.Create(dir);
    foreach (var d in sim.Devices)
    {
        d.Event += e => Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {e}");
    }
    using var control = new ControlServer(sim, Path.Combine(dir, "hvsim.sock"));
    Console.WriteLine($"Simulating devices in {dir}. Start the daemon with:");
    Console.WriteLine($"  hvutilsd {string.Join(' ', sim.DaemonArguments())}");
    Console.WriteLine("Press Ctrl-C to stop.");
    await control.RunAsync(cancel);
    return 0;
});
root.Subcommands.Add(serve);

var words = new Argument<string[]>("words") { Description = "The command for the serving simulator: status | kvp … | vss … | fcopy …", Arity = ArgumentArity.OneOrMore };
var ctl = new Command("ctl", "Send a host-side command to a running 'hvsim serve'.") { dirOption, words };
ctl.SetAction((parse, _) => ControlServer.SendAsync(Path.Combine(Path.GetFullPath(parse.GetValue(dirOption)!), "hvsim.sock"), parse.GetValue(words)!, Console.Out));
root.Subcommands.Add(ctl);
root.Subcommands.Add(HvUtils.HostSim.Fcopy.FcopyCommand.Create());

return await root.Parse(args).InvokeAsync();
