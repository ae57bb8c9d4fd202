namespace HvUtils.Testing;

/// <summary>Counts a process's open descriptors and threads from /proc, for leak checks.</summary>
public static class ProcessResources
{
    public static int OpenFds(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    public static int Threads(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Length;
}
