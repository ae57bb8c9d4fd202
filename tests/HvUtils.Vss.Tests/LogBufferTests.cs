using Microsoft.Extensions.Logging;

namespace HvUtils.Vss.Tests;

public sealed class LogBufferTests
{
    [Fact]
    public void Holds_in_order_while_frozen_writes_after_release_and_counts_what_did_not_fit()
    {
        var inner = new ListLogger();
        var buffer = new FreezeLogBuffer(inner, capacity: 2);
        buffer.LogInformation("before");
        buffer.Hold();
        buffer.LogInformation("one {N}", 1);
        buffer.LogWarning("two");
        buffer.LogError("three");
        Assert.Equal(["Information: before"], inner.Lines);
        Assert.Equal(2, buffer.HeldCount);
        buffer.Release();
        Assert.Equal(4, inner.Lines.Count);
        Assert.StartsWith("Information: one 1 (held while frozen, at ", inner.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Warning: two (held while frozen", inner.Lines[2], StringComparison.Ordinal);
        Assert.Equal("Warning: 1 log entries written while frozen were dropped (buffer of 2)", inner.Lines[3]);
        buffer.LogInformation("after");
        Assert.Equal("Information: after", inner.Lines[^1]);
    }
}
