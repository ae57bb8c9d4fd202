using HvUtils.Core.Channels;
using HvUtils.Kvp.Network.Backends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp.Network;

/// <summary>
/// KVP_OP_SET_IP_INFO (kvp.md §8): validate the whole request, then hand it to the configured or
/// detected backend. The backend used and the outcome are logged and returned with the reply status.
/// </summary>
public sealed partial class IpConfigurationService
{
    private readonly KvpOptions _options;
    private readonly NetSysfs _sysfs;
    private readonly CommandRunner _runner;
    private readonly ILogger _logger;

    public IpConfigurationService(IOptions<KvpOptions> options, ILogger<IpConfigurationService>? logger = null)
    {
        _options = options.Value;
        _sysfs = new NetSysfs(_options.Network.SysfsNetPath);
        _runner = new CommandRunner(_options.Network.CommandTimeout);
        _logger = logger ?? NullLogger<IpConfigurationService>.Instance;
    }

    /// <summary>SET_IP_INFO from the plain fields of hv_kvp_ipaddr_value; returns the reply status and what happened.</summary>
    public IpConfigurationResult SetIpInfo(string adapterId, byte dhcpEnabled, string ipAddresses, string subNets,
        string gateways, string dnsServers) =>
        SetIpInfo(new IpConfiguration(adapterId, dhcpEnabled, ipAddresses, subNets, gateways, dnsServers));

    public IpConfigurationResult SetIpInfo(IpConfiguration request)
    {
        (uint status, IpSettings? settings, string detail) = IpSettingsParser.Parse(request, _sysfs);
        if (settings is null)
        {
            LogRejected(request.AdapterId, HvStatus.Outcome(status), detail);
            return new IpConfigurationResult(status, "", detail);
        }
        string configured = _options.Network.Backend;
        string? name = configured == "auto" ? BackendSelector.Detect(_options) : configured;
        if (name is null)
        {
            const string none = "no network backend detected (no hv_set_ifconfig, netplan, NetworkManager or networkd)";
            LogRejected(request.AdapterId, HvStatus.Outcome(HvStatus.E_FAIL), none);
            return new IpConfigurationResult(HvStatus.E_FAIL, "", none);
        }
        IpConfigurationResult result = BackendSelector.Create(name, _options, _runner, _logger).Apply(settings);
        if (result.Status == HvStatus.S_OK)
        {
            LogApplied(settings.InterfaceName, result.Backend, configured, result.Detail);
        }
        else
        {
            LogFailed(settings.InterfaceName, result.Backend, configured, result.Detail);
        }
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SET_IP_INFO for adapter {AdapterId} rejected ({Outcome}): {Detail}; nothing written")]
    private partial void LogRejected(string adapterId, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "SET_IP_INFO for {Interface} applied by backend {Backend} (configured {Configured}): {Detail}")]
    private partial void LogApplied(string @interface, string backend, string configured, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "SET_IP_INFO for {Interface} failed in backend {Backend} (configured {Configured}): {Detail}")]
    private partial void LogFailed(string @interface, string backend, string configured, string detail);
}
