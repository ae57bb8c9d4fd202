namespace HvUtils.Fuzz;

/// <summary>
/// A fresh directory for one harness (pools, fcopy roots, runtime directory), on tmpfs when
/// available: a fuzz run does millions of writes and COMPLETE fsyncs, which the disk need not see.
/// $HVUTILS_FUZZ_DIR overrides the parent. Removed on dispose.
/// </summary>
public sealed class Sandbox : IDisposable
{
    public Sandbox(string prefix)
    {
        string parent = Environment.GetEnvironmentVariable("HVUTILS_FUZZ_DIR") is { Length: > 0 } p ? p
            : Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, $"{prefix}{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
