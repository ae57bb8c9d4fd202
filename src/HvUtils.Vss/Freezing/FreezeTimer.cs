using HvUtils.Core.Interop;

namespace HvUtils.Vss.Freezing;

/// <summary>
/// A one-shot timerfd watched by the VSS channel's epoll loop (a ChannelEventSource): the
/// freeze deadline and the failed-thaw retries wake the channel thread with no polling,
/// and an unarmed timer costs nothing while idle (design.md rule 5).
/// </summary>
public sealed class FreezeTimer : IDisposable
{
    public FreezeTimer()
    {
        Fd = Native.TimerFdCreate(Native.CLOCK_MONOTONIC, Native.TFD_CLOEXEC | Native.TFD_NONBLOCK);
        if (Fd < 0)
        {
            throw new IOException($"timerfd_create failed: {Errno.Describe(-Fd)}");
        }
    }

    public int Fd { get; }

    public bool Armed { get; private set; }

    public void Arm(TimeSpan after)
    {
        Native.TimerFdSetOneShot(Fd, after);
        Armed = true;
    }

    public void Disarm()
    {
        Native.TimerFdSetOneShot(Fd, TimeSpan.Zero);
        Native.TimerFdRead(Fd);
        Armed = false;
    }

    /// <summary>Consumes an expiry; false when the timer had not expired (a stale wake-up after Disarm).</summary>
    public bool Acknowledge()
    {
        bool expired = Native.TimerFdRead(Fd) > 0;
        if (expired)
        {
            Armed = false;
        }
        return expired;
    }

    public void Dispose() => Native.Close(Fd);
}
