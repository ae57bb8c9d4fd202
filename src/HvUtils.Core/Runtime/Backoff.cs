namespace HvUtils.Core.Runtime;

/// <summary>Exponential reconnect delay: 10 ms doubling to a 500 ms cap (the foundation issue).</summary>
internal sealed class Backoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(500);

    private TimeSpan _next = Initial;

    /// <summary>The delay to wait now; the following one doubles, up to the cap.</summary>
    public TimeSpan Next()
    {
        TimeSpan current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Cap.Ticks));
        return current;
    }

    public void Reset() => _next = Initial;
}
