using System.Runtime.CompilerServices;
using HvUtils.Core.Channels;
using HvUtils.Kvp.Network;
using HvUtils.Testing;

namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// deploy/scripts/hv_set_ifconfig, the script HvUtils ships for the legacy backend, run for real against
/// temp directories (its system paths and tools are overridable through HV_* environment variables).
/// </summary>
public sealed class ShippedSetIfconfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Script([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "deploy", "scripts", "hv_set_ifconfig"));

    private string Log => _dir.Combine("log");

    private (int Exit, string Output) Run(Dictionary<string, string> env, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Script()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach ((string k, string v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    private (string Ifcfg, string Keyfile) LegacyPair()
    {
        using var guest = new SetIpInfoFixture();
        string state = _dir.Combine("state");
        guest.Options.PoolDirectory = state;
        TestScripts.Recorder(guest.Path("distro-scripts", "hv_set_ifconfig"), guest.CommandLog);
        Assert.Equal(HvStatus.S_OK, guest.Set(SetIpInfoFixture.Static, "legacy").Status);
        return (Path.Combine(state, "ifcfg-eth0"), Path.Combine(state, "eth0.nmconnection"));
    }

    [Fact]
    public void With_nmcli_installs_the_keyfile_0600_with_autoconnect_and_activates_it()
    {
        (string ifcfg, string keyfile) = LegacyPair();
        string nmDir = _dir.Combine("system-connections");

        (int exit, string output) = Run(new()
        {
            ["HV_NM_CONNECTION_DIR"] = nmDir,
            ["HV_NMCLI"] = TestScripts.Recorder(_dir.Combine("bin", "nmcli"), Log),
        }, ifcfg, keyfile);

        Assert.True(exit == 0, output);
        string installed = Path.Combine(nmDir, "eth0.nmconnection");
        Assert.Equal(File.ReadAllText(keyfile).Replace("[connection]\n", "[connection]\nautoconnect=true\n"), File.ReadAllText(installed));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, TestScripts.Mode(installed));
        Assert.Equal([$"nmcli connection load {installed}", $"nmcli connection up filename {installed}"], File.ReadAllLines(Log));
    }

    [Fact]
    public void Without_nmcli_uses_network_scripts_with_the_reference_lines()
    {
        (string ifcfg, string keyfile) = LegacyPair();
        string scriptsDir = Directory.CreateDirectory(_dir.Combine("network-scripts")).FullName;
        string original = File.ReadAllText(ifcfg);

        (int exit, string output) = Run(new()
        {
            ["HV_NMCLI"] = _dir.Combine("bin", "no-nmcli"),
            ["HV_NETWORK_SCRIPTS_DIR"] = scriptsDir,
            ["HV_IFUP"] = TestScripts.Recorder(_dir.Combine("bin", "ifup"), Log),
            ["HV_IFDOWN"] = TestScripts.Recorder(_dir.Combine("bin", "ifdown"), Log),
        }, ifcfg, keyfile);

        Assert.True(exit == 0, output);
        Assert.Equal(original + "IPV6INIT=yes\nNM_CONTROLLED=no\nPEERDNS=yes\nONBOOT=yes\n", File.ReadAllText(Path.Combine(scriptsDir, "ifcfg-eth0")));
        Assert.Equal(["ifdown eth0", "ifup eth0"], File.ReadAllLines(Log));
    }

    [Fact]
    public void With_neither_it_fails()
    {
        (string ifcfg, string keyfile) = LegacyPair();

        (int exit, _) = Run(new()
        {
            ["HV_NMCLI"] = _dir.Combine("bin", "no-nmcli"),
            ["HV_NETWORK_SCRIPTS_DIR"] = _dir.Combine("absent"),
        }, ifcfg, keyfile);

        Assert.NotEqual(0, exit);
    }

    public void Dispose() => _dir.Dispose();
}
