using System.Buffers.Binary;
using System.Text;
using HvUtils.Core.Channels;
using HvUtils.Kvp;
using HvUtils.Kvp.Auto;
using HvUtils.Kvp.Pools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvUtils.Fuzz.Kvp;

/// <summary>
/// The real <see cref="KvpChannel"/> on pool files in a sandbox, with a model of every pool:
/// each acknowledged SET/DELETE is applied to a dictionary, and the pool files must parse
/// and hold exactly the model (spec/kvp.md §5). MaxRecords is small so "pool full" is reached.
/// </summary>
public sealed partial class KvpHarness : IChannelHarness
{
    public const int MaxRecords = 48;

    private readonly Sandbox _sandbox = new("hvutils-fuzz-kvp-");
    private readonly KvpPoolSet _pools;
    private readonly AutoPool _auto;
    private readonly KvpChannel _channel;
    private readonly Dictionary<string, byte[]>[] _model = [.. Enumerable.Range(0, 5).Select(_ => new Dictionary<string, byte[]>())];
    private readonly byte[] _reply = new byte[KvpOracle.Size];
    private readonly Dictionary<string, long> _outcomes = [];

    public KvpHarness()
    {
        var options = new KvpOptions { PoolDirectory = _sandbox.Combine("pools"), DevicePath = "/nonexistent/hv_kvp" };
        _pools = new KvpPoolSet(options.PoolDirectory, new PoolFileSettings(TimeSpan.FromSeconds(2), MaxRecords, true, NullLogger.Instance));
        _auto = new AutoPool(OsInfo.From("Linux", "6.8.0-45-generic", "x86_64", "NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n", null), new FixedHostName(), new FixedAddresses());
        _channel = new KvpChannel(Options.Create(options), _pools, _auto, new FixedIpInfo(), NullLogger<KvpChannel>.Instance);
    }

    public string Name => "kvp";

    public int MaxMessageSize => _channel.MaxMessageSize;

    public IReadOnlyList<byte[]> Seeds { get; } = KvpSeeds.All();

    public IReadOnlyList<int> FieldOffsets { get; } = [4, 8, 12, 16, 524, 528];

    /// <summary>Messages processed per operation code, for the report.</summary>
    public IReadOnlyDictionary<string, long> Outcomes => _outcomes;

    /// <summary>
    /// Mostly the seed generator; one in five a GET or DELETE of a key the model holds, so keys that
    /// mutated SETs stored are read back and removed and the pools keep churning instead of staying full.
    /// </summary>
    public byte[] Generate(Random rng)
    {
        int pool = rng.Next(5);
        if (rng.Next(5) != 0 || _model[pool].Count == 0)
        {
            return KvpSeeds.Generate(rng);
        }
        byte[] key = Encoding.Latin1.GetBytes(_model[pool].Keys.ElementAt(rng.Next(_model[pool].Count)));
        return rng.Next(2) == 0 ? KvpSeeds.Get((byte)pool, key) : KvpSeeds.Delete((byte)pool, key);
    }

    public void Feed(ReadOnlySpan<byte> message)
    {
        HandledMessage handled = InvariantViolation.Handle(_channel, "kvp", message, _reply);
        string seen = $"{handled.Operation}:{handled.Outcome}";
        _outcomes[seen] = _outcomes.GetValueOrDefault(seen) + 1;
        InvariantViolation.Require(handled.ReplyLength == KvpOracle.Size, $"kvp: reply length {handled.ReplyLength}, not 7432", message);
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(_reply);
        string? wrong = message.Length != KvpOracle.Size
            ? Expect(status, HvStatus.E_FAIL)
            : Check(message, status);
        if (wrong is not null)
        {
            throw new InvariantViolation($"kvp: op {(message.Length > 0 ? message[0] : -1)} pool {(message.Length > 1 ? message[1] : -1)}: {wrong}", message.ToArray());
        }
    }

    public string PoolFile(int pool) => KvpPoolSet.FilePath(_pools.Directory, pool);

    public void CheckState()
    {
        for (int pool = 0; pool < 5; pool++)
        {
            CheckPoolFile(pool);
        }
    }

    public void Quiesce() => _channel.OnConnectionReset();

    public void Dispose()
    {
        _pools.Dispose();
        _auto.Dispose();
        _sandbox.Dispose();
    }

    private static string? Expect(uint status, params uint[] allowed) =>
        Array.IndexOf(allowed, status) >= 0 ? null : $"status 0x{status:X8}, expected one of {string.Join(", ", allowed.Select(a => $"0x{a:X8}"))}";

    private static string Text(byte[] key) => Encoding.Latin1.GetString(key);

    /// <summary>Reads the pool file itself: whole 2560-byte records, no duplicate key, exactly the model.</summary>
    private void CheckPoolFile(int pool)
    {
        byte[] file = File.ReadAllBytes(PoolFile(pool));
        if (file.Length % 2560 != 0)
        {
            throw new InvariantViolation($"kvp: pool {pool} is {file.Length} bytes, not whole records");
        }
        var seen = new Dictionary<string, byte[]>();
        for (int at = 0; at < file.Length; at += 2560)
        {
            string key = Text(KvpOracle.UpToNul(file.AsSpan(at, 512)).ToArray());
            byte[] value = KvpOracle.UpToNul(file.AsSpan(at + 512, 2048)).ToArray();
            if (!seen.TryAdd(key, value))
            {
                throw new InvariantViolation($"kvp: pool {pool} holds key '{key}' twice");
            }
        }
        var model = _model[pool];
        if (seen.Count != model.Count || seen.Any(kv => !model.TryGetValue(kv.Key, out byte[]? v) || !v.AsSpan().SequenceEqual(kv.Value)))
        {
            string extra = string.Join(",", seen.Keys.Where(k => !model.ContainsKey(k)).Take(5));
            string missing = string.Join(",", model.Keys.Where(k => !seen.ContainsKey(k)).Take(5));
            throw new InvariantViolation($"kvp: pool {pool} file ({seen.Count} records) differs from the acknowledged writes ({model.Count}); unacknowledged [{extra}] missing [{missing}]");
        }
    }
}
