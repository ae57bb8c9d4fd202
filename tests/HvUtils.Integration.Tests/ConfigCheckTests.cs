using System.Text.Json;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>`hvutils config check` validates exactly as hvutilsd does.</summary>
public sealed class ConfigCheckTests
{
    private static string Hvutils => Path.Combine(AppContext.BaseDirectory, "hvutils");

    [Fact]
    public void A_valid_file_prints_the_effective_settings_including_overrides()
    {
        using var dir = new TempDirectory();
        string config = dir.Combine("appsettings.json");
        File.WriteAllText(config, """{ "Kvp": { "PoolDirectory": "/srv/kvp" } }""");
        (int code, string output) = ProcessRunner.Run(Hvutils, ["config", "check", "--config", config], check: false);
        Assert.Equal(0, code);
        Assert.Contains("Kvp:PoolDirectory = /srv/kvp", output);
        Assert.Contains("Vss:DevicePath = /dev/vmbus/hv_vss", output);
    }

    [Fact]
    public void Json_output_is_shaped_like_appsettings()
    {
        using var dir = new TempDirectory();
        string config = dir.Combine("appsettings.json");
        File.WriteAllText(config, """{ "Fcopy": { "AllowedRoots": [ "/srv/in", "/srv/other" ] } }""");
        (int code, string output) = ProcessRunner.Run(Hvutils, ["config", "check", "--config", config, "--json"], check: false);
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement roots = doc.RootElement.GetProperty("Fcopy").GetProperty("AllowedRoots");
        Assert.Equal(["/srv/in", "/srv/other"], roots.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/var/lib/hyperv", doc.RootElement.GetProperty("Kvp").GetProperty("PoolDirectory").GetString());
    }

    [Fact]
    public void An_invalid_file_exits_78_naming_key_value_and_reason()
    {
        using var dir = new TempDirectory();
        string config = dir.Combine("appsettings.json");
        File.WriteAllText(config, """{ "Vss": { "HookTimeout": "-00:00:01" } }""");
        (int code, string output) = ProcessRunner.Run(Hvutils, ["config", "check", "--config", config], check: false);
        Assert.Equal(78, code);
        Assert.Contains("Vss:HookTimeout = \"-00:00:01\": must be between", output);
    }
}
