using System.Diagnostics;
using HvUtils.Kvp.Wire;
using Microsoft.Extensions.Logging;

namespace HvUtils.Kvp;

/// <summary>
/// Rate-limited log lines for requests the channel refused (design.md rule 2): at most
/// one line per minute, carrying how many were suppressed, so a misbehaving host cannot
/// flood the journal. The message path allocates only when a line is actually written.
/// </summary>
internal sealed class RequestLog(ILogger logger)
{
    private static readonly long Interval = Stopwatch.Frequency * 60;
    private long _lastLogged = -Interval;
    private int _suppressed;

    public void Malformed(string what) => Write("KVP: refused a request with {What}", what);

    public void Refused(string operation, FieldError error)
    {
        string what = error switch
        {
            FieldError.KeySizeOutOfRange => "key_size outside 1-512",
            FieldError.KeyNotTerminated => "a key without a NUL within key_size",
            FieldError.EmptyKey => "an empty key",
            FieldError.ValueSizeOutOfRange => "value_size over 2048",
            _ => "a value without room for its NUL",
        };
        Write(operation == "set" ? "KVP: refused a SET with {What}" : operation == "get" ? "KVP: refused a GET with {What}" : "KVP: refused a DELETE with {What}", what);
    }

    private void Write(string format, string what)
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastLogged < Interval)
        {
            _suppressed++;
            return;
        }
        _lastLogged = now;
        int suppressed = _suppressed;
        _suppressed = 0;
#pragma warning disable CA2254 // the formats are the three constants above
        logger.LogWarning(format + " (answered with an error status; {Suppressed} similar lines suppressed)", what, suppressed);
#pragma warning restore CA2254
    }
}
