using static Tmds.Linux.LibC;

namespace HvUtils.Core.Interop;

// signal.h: stopping processes we started, by PID (tests, the simulator's daemon launcher).
public static partial class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGINT = 2;
    public const int SIGSTOP = 19;
    public const int SIGCONT = 18;

    public static int Kill(int pid, int signal) => kill(pid, signal) == 0 ? 0 : -errno;
}
