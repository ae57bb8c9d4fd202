using System.Buffers.Binary;
using HvUtils.Core.Channels;
using HvUtils.Core.Configuration;
using HvUtils.Fcopy;
using Microsoft.Extensions.Options;

namespace HvUtils.Fuzz.Fcopy;

/// <summary>
/// The real <see cref="FcopyChannel"/> as the legacy char device feeds it (UTF-8 names), with
/// <c>AllowedRoots</c> = one directory of the sandbox, a sibling directory it must never reach
/// (also through the symlink <c>root/escape</c>), and the <see cref="FcopyOracle"/>.
/// </summary>
public class FcopyHarness : IChannelHarness
{
    private readonly byte[] _reply = new byte[4];
    private readonly FcopyMessages _messages;

    public FcopyHarness()
        : this("hvutils-fuzz-fcopy-", utf16: false)
    {
    }

    internal FcopyHarness(string prefix, bool utf16)
    {
        Sandbox = new Sandbox(prefix);
        Root = Sandbox.Combine("root");
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        Directory.CreateDirectory(Sandbox.Combine("outside"));
        File.CreateSymbolicLink(Path.Combine(Root, "escape"), "../outside");
        Channel = new FcopyChannel(Options.Create(new FcopyOptions { AllowedRoots = [Root], DevicePath = "/nonexistent/hv_fcopy" }),
            Options.Create(new RuntimeOptions { Directory = Sandbox.Combine("run") }));
        Oracle = new FcopyOracle(Sandbox.Path, Root);
        _messages = new FcopyMessages(Sandbox.Path, Root, utf16);
        Seeds = _messages.Seeds();
    }

    public virtual string Name => "fcopy-legacy";

    public virtual int MaxMessageSize => FcopyChannel.ReadBufferSize;

    public IReadOnlyList<byte[]> Seeds { get; protected init; }

    public IReadOnlyList<int> FieldOffsets { get; protected init; } = [0, 40, 44, 48, 1076, 1080, 1084];

    internal Sandbox Sandbox { get; }

    internal string Root { get; }

    internal FcopyChannel Channel { get; }

    internal FcopyOracle Oracle { get; }

    public IReadOnlyDictionary<string, long> Outcomes => Oracle.Outcomes;

    public virtual byte[] Generate(Random rng) => _messages.Generate(rng);

    public virtual void Feed(ReadOnlySpan<byte> message) => HandleChecked(message);

    /// <summary>Handle with a zeroed 4-byte reply; returns the status after the oracle accepted it.</summary>
    internal uint HandleChecked(ReadOnlySpan<byte> message)
    {
        HandledMessage handled = InvariantViolation.Handle(Channel, Name, message, _reply);
        InvariantViolation.Require(handled.ReplyLength == 4, $"{Name}: reply length {handled.ReplyLength}, not 4", message);
        uint status = BinaryPrimitives.ReadUInt32LittleEndian(_reply);
        if (Trace)
        {
            Console.Error.WriteLine(Describe(message, status));
        }
        if (Oracle.Check(message, status) is { } wrong)
        {
            throw new InvariantViolation($"{Name}: op {(message.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(message) : -1)}: {wrong}", message.ToArray());
        }
        return status;
    }

    /// <summary>$HVUTILS_FUZZ_TRACE=1: one line per message (to replay a failure by hand).</summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("HVUTILS_FUZZ_TRACE") == "1";

    private static string Describe(ReadOnlySpan<byte> m, uint status)
    {
        uint op = m.Length >= 36 ? BinaryPrimitives.ReadUInt32LittleEndian(m) : uint.MaxValue;
        string detail = op switch
        {
            0 when m.Length >= 1088 => $"START '{System.Text.Encoding.UTF8.GetString(FcopyNamesUtf8(m.Slice(36, 520)))}' in '{System.Text.Encoding.UTF8.GetString(FcopyNamesUtf8(m.Slice(556, 520)))}' flags {BinaryPrimitives.ReadUInt32LittleEndian(m[1076..])} size {BinaryPrimitives.ReadUInt64LittleEndian(m[1080..])}",
            1 when m.Length >= 52 => $"WRITE offset {BinaryPrimitives.ReadUInt64LittleEndian(m[40..])} size {BinaryPrimitives.ReadUInt32LittleEndian(m[48..])}",
            _ => $"op {op}",
        };
        return $"{m.Length,5} {detail} -> 0x{status:X8}";
    }

    private static ReadOnlySpan<byte> FcopyNamesUtf8(ReadOnlySpan<byte> field) => HvUtils.Fcopy.FcopyNames.Utf8Field(field);

    public void CheckState()
    {
        if (Oracle.ScanTree() is { } wrong)
        {
            throw new InvariantViolation($"{Name}: {wrong}");
        }
    }

    public virtual void Quiesce()
    {
        Channel.OnConnectionReset();
        Oracle.Reset();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => Sandbox.Dispose();
}
