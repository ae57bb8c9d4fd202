using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Core.Transport;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Pools;
using HvUtils.Kvp.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Kvp;

/// <summary>
/// The KVP channel on <c>/dev/vmbus/hv_kvp</c> (spec/kvp.md §3, spec/transport.md §7.1):
/// the REGISTER1 handshake, then one 7432-byte reply per request — pool operations on
/// the shared pool files, the AUTO table, and IP info through <see cref="IIpInfoProvider"/>.
/// Replies are built in the runner's zeroed buffer with only the fields the kernel reads.
/// </summary>
public sealed partial class KvpChannel : IHvChannel
{
    /// <summary>sizeof(struct hv_kvp_msg) (spec/kvp.md §2.8).</summary>
    public const int MessageSize = KvpLayout.MessageSize;

    /// <summary>KVP_OP_REGISTER1: registration with IP-injection support (spec/transport.md §7.1).</summary>
    public const byte OpRegister1 = 100;

    private readonly KvpPoolSet _pools;
    private readonly AutoPool _auto;
    private readonly IIpInfoProvider _ipInfo;
    private readonly RequestLog _log;
    private readonly byte[] _record = new byte[KvpPoolFile.RecordSize];

    public KvpChannel(IOptions<KvpOptions> options, KvpPoolSet pools, AutoPool auto, IIpInfoProvider ipInfo, ILogger<KvpChannel> logger)
    {
        _pools = pools;
        _auto = auto;
        _ipInfo = ipInfo;
        _log = new RequestLog(logger);
        Device = new PathDeviceEndpoint(options.Value.DevicePath);
        int rc = pools.Create();
        if (rc < 0)
        {
            logger.LogError("KVP: cannot create the pool files in {Directory}: {Error}; each request retries", pools.Directory, Errno.Describe(-rc));
        }
    }

    public string Name => "kvp";

    public IDeviceEndpoint Device { get; }

    public int MaxMessageSize => MessageSize;

    public int MaxReplySize => MessageSize;

    public IReadOnlyList<ChannelEventSource> EventSources => _auto.EventSources;

    /// <summary>The version string the kernel sent with its handshake reply ("3.1"): the AUTO key IntegrationServicesVersion.</summary>
    public string? KernelVersion { get; private set; }

    public int WriteRegistration(Span<byte> message)
    {
        message[KvpLayout.Operation] = OpRegister1;
        return MessageSize;
    }

    public bool AcceptRegistrationReply(ReadOnlySpan<byte> reply)
    {
        if (reply.Length != MessageSize || reply[KvpLayout.Operation] != OpRegister1)
        {
            return false;
        }
        string version = Encoding.ASCII.GetString(Utf8Text.UpToNul(reply.Slice(KvpLayout.RegisterVersion, KvpLayout.RegisterVersionSize)));
        if (version != KernelVersion)
        {
            KernelVersion = version;
            _auto.SetIntegrationServicesVersion(version);
        }
        return true;
    }

    public HandledMessage Handle(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        var req = new KvpRequest(request);
        if (!req.HasValidLength)
        {
            _log.Malformed("a message that is not 7432 bytes");
            return Done(reply, "invalid", HvStatus.E_FAIL);
        }
        return (KvpOperation)req.Operation switch
        {
            KvpOperation.Get => Get(req, reply),
            KvpOperation.Set => Set(req, reply),
            KvpOperation.Delete => Delete(req, reply),
            KvpOperation.Enumerate => Enumerate(req, reply),
            KvpOperation.GetIpInfo => GetIpInfo(request, reply),
            KvpOperation.SetIpInfo => SetIpInfo(request, reply),
            _ => Unknown(req, reply),
        };
    }

    public int WriteFailureReply(ReadOnlySpan<byte> request, Span<byte> reply) => KvpReply.Status(reply, HvStatus.E_FAIL);

    public void OnConnectionReset()
    {
    }

    /// <summary>Upstream answers unknown opcodes with success; an error status is the honest answer (quirks.md).</summary>
    private HandledMessage Unknown(KvpRequest req, Span<byte> reply)
    {
        _log.Malformed("an unknown operation code");
        return Done(reply, "unknown", HvStatus.ERROR_NOT_SUPPORTED);
    }

    private HandledMessage GetIpInfo(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        IpInfo query = KvpIpInfoCodec.Read(request);
        IpInfo info = _ipInfo.GetIpInfo(query.AdapterId, query.AddressFamily);
        int length = KvpIpInfoCodec.Write(reply, info);
        return new HandledMessage(length, "get_ip_info", HvStatus.Outcome(info.Status));
    }

    private HandledMessage SetIpInfo(ReadOnlySpan<byte> request, Span<byte> reply) =>
        Done(reply, "set_ip_info", _ipInfo.SetIpInfo(KvpIpInfoCodec.Read(request)));

    private static HandledMessage Done(Span<byte> reply, string operation, uint status) =>
        new(KvpReply.Status(reply, status), operation, HvStatus.Outcome(status));
}
