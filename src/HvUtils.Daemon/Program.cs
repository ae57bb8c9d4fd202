using HvUtils.Core.Hosting;
using HvUtils.Fcopy;
using HvUtils.Kvp;
using HvUtils.Telemetry;
using HvUtils.Vss;

// hvutilsd: the three Hyper-V guest services in one process (design.md "The shape").
return DaemonHost.Run(args, static (services, configuration) =>
{
    services.AddHvUtilsTelemetry(configuration);
    services.AddKvpChannel(configuration);
    services.AddVssChannel(configuration);
    services.AddFcopyChannel(configuration);
});
