using HvUtils.Core.Channels;
using Microsoft.Extensions.Logging;

namespace HvUtils.Kvp.Network.Backends;

/// <summary><c>dry-run</c>: logs the legacy file pair that would be written and changes nothing.</summary>
public sealed partial class DryRunBackend(ILogger logger) : INetworkBackend
{
    public string Name => "dry-run";

    public IpConfigurationResult Apply(IpSettings settings)
    {
        LogWouldWrite(settings.InterfaceName, LegacyFiles.Ifcfg(settings), LegacyFiles.Keyfile(settings));
        return new IpConfigurationResult(HvStatus.S_OK, Name, "nothing written (dry-run)");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "SET_IP_INFO dry-run for {Interface}: would write ifcfg:\n{Ifcfg}\nand keyfile:\n{Keyfile}")]
    private partial void LogWouldWrite(string @interface, string ifcfg, string keyfile);
}
