using System.Buffers.Binary;
using HvUtils.HostSim.Devices;

namespace HvUtils.HostSim.Kvp;

/// <summary>What the host gets back: the status, and for GET/ENUMERATE the strings the kernel converted.</summary>
public sealed record KvpHostResult(uint Status, string Key = "", string Value = "", string? Failure = null)
{
    public const uint S_OK = 0;
    public const uint E_FAIL = 0x80004005;
    public const uint S_CONT = 0x80070103;

    public bool Ok => Status == S_OK;
}

/// <summary>
/// Host-side KVP requests over the simulated device (spec/kvp.md §3, spec/transport.md
/// §10): the host API a Hyper-V host would use, with the kernel's conversions in both
/// directions. A request the kernel would fail (no daemon, timeout, invalid UTF-8 in
/// the reply) comes back as HV_E_FAIL, as the host would see it.
/// </summary>
public sealed class KvpHost(KvpDevice device)
{
    private const int KeyUnits = 254;
    private const int ValueUnits = 1022;

    public KvpDevice Device { get; } = device;

    public Task<KvpHostResult> SetAsync(int pool, string key, string value, CancellationToken ct = default) =>
        StatusOnlyAsync(KvpHostConversion.ExchangeMessage(1, (byte)pool, key, value), ct);

    /// <summary>SET with REG_U32 / REG_U64: the kernel sends the daemon decimal text.</summary>
    public Task<KvpHostResult> SetNumberAsync(int pool, string key, ulong value, bool is64Bit, CancellationToken ct = default) =>
        StatusOnlyAsync(KvpHostConversion.ExchangeMessage(1, (byte)pool, key, null, is64Bit ? KvpHostConversion.RegU64 : KvpHostConversion.RegU32, value), ct);

    public Task<KvpHostResult> DeleteAsync(int pool, string key, CancellationToken ct = default) =>
        StatusOnlyAsync(KvpHostConversion.DeleteMessage((byte)pool, key), ct);

    /// <summary>GET: the kernel reads the value at offset 532 of the reply (spec/kvp.md §3.2).</summary>
    public async Task<KvpHostResult> GetAsync(int pool, string key, CancellationToken ct = default)
    {
        (byte[]? reply, KvpHostResult? failed) = await SendAsync(KvpHostConversion.ExchangeMessage(0, (byte)pool, key), ct).ConfigureAwait(false);
        if (reply is null)
        {
            return failed!;
        }
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(reply);
        if (status != KvpHostResult.S_OK)
        {
            return new KvpHostResult(status, key);
        }
        string? value = KvpHostConversion.ReplyStringToHost(reply.AsSpan(532, 2048), ValueUnits);
        return value is null ? new KvpHostResult(KvpHostResult.E_FAIL, key, "", "reply value is not valid UTF-8") : new KvpHostResult(status, key, value);
    }

    /// <summary>ENUMERATE: key at 20, value at 532.</summary>
    public async Task<KvpHostResult> EnumerateAsync(int pool, uint index, CancellationToken ct = default)
    {
        (byte[]? reply, KvpHostResult? failed) = await SendAsync(KvpHostConversion.EnumerateMessage((byte)pool, index), ct).ConfigureAwait(false);
        if (reply is null)
        {
            return failed!;
        }
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(reply);
        if (status != KvpHostResult.S_OK)
        {
            return new KvpHostResult(status);
        }
        string? key = KvpHostConversion.ReplyStringToHost(reply.AsSpan(20, 512), KeyUnits);
        string? value = KvpHostConversion.ReplyStringToHost(reply.AsSpan(532, 2048), ValueUnits);
        return key is null || value is null
            ? new KvpHostResult(KvpHostResult.E_FAIL, "", "", "reply is not valid UTF-8")
            : new KvpHostResult(status, key, value);
    }

    /// <summary>Enumerates index 0, 1, … until a non-zero status, as the host walks a pool.</summary>
    public async Task<(IReadOnlyList<KeyValuePair<string, string>> Records, uint EndStatus)> EnumerateAllAsync(int pool, CancellationToken ct = default)
    {
        var records = new List<KeyValuePair<string, string>>();
        for (uint i = 0; ; i++)
        {
            KvpHostResult r = await EnumerateAsync(pool, i, ct).ConfigureAwait(false);
            if (!r.Ok)
            {
                return (records, r.Status);
            }
            records.Add(new(r.Key, r.Value));
        }
    }

    /// <summary>Sends a raw 7432-byte daemon message and returns the raw reply (for malformed-request tests).</summary>
    public Task<byte[]> RawAsync(byte[] message, CancellationToken ct = default) => Device.RequestAsync(message, null, ct);

    private async Task<KvpHostResult> StatusOnlyAsync(byte[] message, CancellationToken ct)
    {
        (byte[]? reply, KvpHostResult? failed) = await SendAsync(message, ct).ConfigureAwait(false);
        return reply is null ? failed! : new KvpHostResult(BinaryPrimitives.ReadUInt32LittleEndian(reply));
    }

    private async Task<(byte[]? Reply, KvpHostResult? Failed)> SendAsync(byte[] message, CancellationToken ct)
    {
        try
        {
            return (await Device.RequestAsync(message, null, ct).ConfigureAwait(false), null);
        }
        catch (HostRequestException ex)
        {
            return (null, new KvpHostResult(KvpHostResult.E_FAIL, "", "", ex.Message));
        }
    }
}
