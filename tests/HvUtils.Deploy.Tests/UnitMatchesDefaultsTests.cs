using System.Text.Json;

namespace HvUtils.Deploy.Tests;

/// <summary>
/// The unit's sandbox against the shipped defaults (config/appsettings.json): every path the
/// daemon writes by default is writable under ProtectSystem=strict, and the runtime directory
/// systemd creates is the one the daemon uses for its freeze marker.
/// </summary>
public sealed class UnitMatchesDefaultsTests
{
    private static readonly UnitFile Unit = UnitFile.Load(Repository.UnitFile);
    private static readonly JsonDocument Defaults = JsonDocument.Parse(File.ReadAllText(Repository.Combine("config", "appsettings.json")));

    /// <summary>ReadWritePaths entries without the "-" (ignore if missing) prefix.</summary>
    private static IReadOnlyList<string> Writable => [.. Unit.Words("Service", "ReadWritePaths").Select(p => p.TrimStart('-'))];

    [Fact]
    public void The_pool_directory_is_writable() => Assert.Contains(Setting("Kvp", "PoolDirectory"), Writable);

    [Fact]
    public void The_runtime_directory_is_the_one_systemd_creates_and_preserves()
    {
        Assert.Equal("/run/" + Unit.Single("Service", "RuntimeDirectory"), Setting("Runtime", "Directory"));
    }

    /// <summary>SET_IP_INFO writes the backends' configuration directories (kvp.md §9), when the defaults name them.</summary>
    [Fact]
    public void Network_configuration_directories_in_the_defaults_are_writable()
    {
        if (!Defaults.RootElement.GetProperty("Kvp").TryGetProperty("Network", out JsonElement network))
        {
            return;
        }
        foreach (JsonProperty p in network.EnumerateObject().Where(p => p.Name.EndsWith("ConfigDirectory", StringComparison.Ordinal)
            || p.Name.EndsWith("ConnectionDirectory", StringComparison.Ordinal) || p.Name == "NetplanDirectory"))
        {
            Assert.Contains(p.Value.GetString(), Writable);
        }
    }

    [Fact]
    public void Default_devices_are_covered_by_the_device_allow_list()
    {
        Assert.All(new[] { "Kvp", "Vss", "Fcopy" }, s => Assert.StartsWith("/dev/vmbus/hv_", Setting(s, "DevicePath"), StringComparison.Ordinal));
        // The hv_* nodes are misc devices with dynamic minors; fcopy over UIO uses /dev/uioN.
        Assert.Contains("char-misc rw", Unit.Values("Service", "DeviceAllow"));
        Assert.Contains("char-uio rw", Unit.Values("Service", "DeviceAllow"));
    }

    private static string Setting(string section, string key) => Defaults.RootElement.GetProperty(section).GetProperty(key).GetString()!;
}
