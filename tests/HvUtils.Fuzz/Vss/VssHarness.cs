using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Vss;
using Microsoft.Extensions.Logging.Abstractions;

namespace HvUtils.Fuzz.Vss;

/// <summary>
/// The real <see cref="VssChannel"/> (planner, freezer, hooks, marker, log buffer) over a fake
/// mount table and the in-memory <see cref="FakeFreezer"/>: no filesystem is ever frozen.
/// Checks every reply against spec/vss.md §5–§8 and the channel's frozen set against the fake's.
/// </summary>
public sealed class VssHarness : IChannelHarness
{
    private static readonly string[] MountPoints = ["/", "/a", "/b", "/tmp"];

    private readonly Sandbox _sandbox = new("hvutils-fuzz-vss-");
    private readonly FakeFreezer _freezer;
    private readonly VssChannel _channel;
    private readonly byte[] _reply = new byte[12];
    private readonly Dictionary<string, long> _outcomes = [];

    public VssHarness(int seed = 1)
    {
        File.WriteAllText(_sandbox.Combine("mountinfo"), """
            1 0 254:1 / / rw - ext4 /dev/sda1 rw
            2 1 254:2 / /a rw - ext4 /dev/sda2 rw
            3 1 254:3 / /b rw - xfs /dev/sda3 rw
            4 1 0:20 / /tmp rw - tmpfs tmpfs rw
            """);
        Directory.CreateDirectory(_sandbox.Combine("hooks"));
        Directory.CreateDirectory(_sandbox.Combine("sysfs"));
        _freezer = new FakeFreezer(new HashSet<string>(MountPoints), new Random(seed));
        var options = new VssOptions
        {
            MountInfoPath = _sandbox.Combine("mountinfo"),
            HooksDirectory = _sandbox.Combine("hooks"),
            SysfsBlockPath = _sandbox.Combine("sysfs"),
            DevicePath = "/nonexistent/hv_vss",
        };
        _channel = new VssChannel(options, _sandbox.Combine("run"), NullLogger.Instance, null, _freezer, new FakeBlockDevices(_sandbox.Combine("sysfs")));
    }

    public string Name => "vss";

    public int MaxMessageSize => 24;

    public IReadOnlyList<byte[]> Seeds { get; } =
    [
        Convert.FromHexString("050000000000000000000000"),
        Convert.FromHexString("060000000000000000000000"),
        Convert.FromHexString("020000000000000000000000"),
        Convert.FromHexString("000000000000000000000000"),
        Convert.FromHexString("810000000000000000000000"),
        Convert.FromHexString("07000000"),
    ];

    public IReadOnlyList<int> FieldOffsets { get; } = [0, 4, 8];

    /// <summary>FREEZE/THAW outcomes seen, for the report.</summary>
    public IReadOnlyDictionary<string, long> Outcomes => _outcomes;

    public byte[] Generate(Random rng)
    {
        byte[] m = new byte[rng.Next(30) == 0 ? rng.Next(25) : 12];
        int pick = rng.Next(10);
        if (m.Length > 0)
        {
            m[0] = pick < 4 ? (byte)5 : pick < 8 ? (byte)6 : pick < 9 ? (byte)2 : (byte)rng.Next(256);
        }
        if (rng.Next(10) == 0 && m.Length >= 12)
        {
            rng.NextBytes(m.AsSpan(1));
        }
        return m;
    }

    public void Feed(ReadOnlySpan<byte> message)
    {
        HandledMessage handled = InvariantViolation.Handle(_channel, "vss", message, _reply);
        string seen = $"{handled.Operation}:{handled.Outcome}";
        _outcomes[seen] = _outcomes.GetValueOrDefault(seen) + 1;
        string? wrong = _freezer.Violation ?? Check(message, handled);
        if (wrong is not null)
        {
            throw new InvariantViolation($"vss: {wrong}", message.ToArray());
        }
    }

    private string? Check(ReadOnlySpan<byte> m, HandledMessage handled)
    {
        if (m.Length != 12)
        {
            // spec/vss.md §8: no reply, thaw, reset the device.
            if (handled.ReplyLength != 0 || !handled.ResetDevice)
            {
                return $"a {m.Length}-byte message got a {handled.ReplyLength}-byte reply (reset {handled.ResetDevice})";
            }
            return !_channel.ThawPending && _freezer.Frozen.Count > 0 ? "a malformed message left filesystems frozen" : SameFrozen();
        }
        if (handled.ReplyLength != 12)
        {
            return $"reply length {handled.ReplyLength}, not 12";
        }
        if (!_reply.AsSpan(4, 8).SequenceEqual(m[4..12]))
        {
            return "reply bytes 4-11 are not the request's (spec/vss.md §5.1)";
        }
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(_reply);
        bool allowed = m[0] switch
        {
            5 or 6 => status is HvStatus.S_OK or HvStatus.E_FAIL,
            2 => status == HvStatus.S_OK,
            _ => status == HvStatus.E_FAIL,
        };
        if (!allowed)
        {
            return $"op {m[0]} answered 0x{status:X8}";
        }
        if (m[0] == 6 && status == HvStatus.S_OK && _freezer.Frozen.Count > 0)
        {
            return "THAW answered success while filesystems stay frozen";
        }
        if (m[0] == 5 && status == HvStatus.S_OK && _freezer.Frozen.Count == 0)
        {
            return "FREEZE answered success with nothing frozen";
        }
        return SameFrozen();
    }

    /// <summary>The channel's frozen list is exactly what the (fake) kernel holds frozen.</summary>
    private string? SameFrozen() =>
        _channel.FrozenMounts.Count == _freezer.Frozen.Count && _channel.FrozenMounts.All(_freezer.Frozen.Contains)
            ? null
            : $"channel believes [{string.Join(",", _channel.FrozenMounts)}] frozen, the kernel holds [{string.Join(",", _freezer.Frozen)}]";

    public void CheckState()
    {
        if (SameFrozen() is { } wrong)
        {
            throw new InvariantViolation($"vss: {wrong}");
        }
    }

    /// <summary>A device reset thaws everything; errors are off so the rest state is "nothing frozen".</summary>
    public void Quiesce()
    {
        int percent = _freezer.ErrorPercent;
        _freezer.ErrorPercent = 0;
        _channel.OnConnectionReset();
        if (_channel.ThawPending)
        {
            Feed(Seeds[1]);
        }
        _freezer.ErrorPercent = percent;
        if (_freezer.Frozen.Count > 0)
        {
            throw new InvariantViolation($"vss: a device reset left [{string.Join(",", _freezer.Frozen)}] frozen");
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _sandbox.Dispose();
    }
}
