using HvUtils.Kvp.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Tests.Network;

public sealed class NetworkRegistrationTests
{
    private static IConfiguration Config() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kvp:Network:Backend"] = "networkd",
        ["Kvp:Network:ProcNetPath"] = "/proc/thread-self/net",
        ["Kvp:Network:DhclientLeaseDirectories:0"] = "/var/lib/dhcp",
        ["Kvp:Network:CommandTimeout"] = "00:00:05",
    }).Build();

    [Fact]
    public void AddKvpNetwork_registers_both_services_over_the_bound_options()
    {
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddKvpNetwork(Config()).BuildServiceProvider();

        Assert.NotNull(sp.GetRequiredService<NetworkInfoService>());
        Assert.NotNull(sp.GetRequiredService<IpConfigurationService>());
        KvpNetworkOptions n = sp.GetRequiredService<IOptions<KvpOptions>>().Value.Network;
        Assert.Equal("networkd", n.Backend);
        Assert.Equal("/proc/thread-self/net", n.ProcNetPath);
        Assert.Equal(TimeSpan.FromSeconds(5), n.CommandTimeout);
        Assert.Equal(["/var/lib/dhcp"], n.DhclientLeaseDirectories);
    }

    [Fact]
    public void After_AddKvpOptions_the_section_is_bound_once()
    {
        IConfiguration config = Config();
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddKvpOptions(config).AddKvpNetwork(config).BuildServiceProvider();

        Assert.Equal(["/var/lib/dhcp"], sp.GetRequiredService<IOptions<KvpOptions>>().Value.Network.DhclientLeaseDirectories);
    }

    [Fact]
    public void An_unknown_backend_fails_validation()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kvp:Network:Backend"] = "ifupdown",
        }).Build();
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddKvpNetwork(config).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<KvpOptions>>().Value);
    }
}
