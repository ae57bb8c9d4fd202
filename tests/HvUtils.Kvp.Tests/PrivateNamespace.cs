using System.Runtime.InteropServices;

namespace HvUtils.Kvp.Tests;

/// <summary>
/// Runs a test body on a fresh thread that first unshares a namespace. UTS and network
/// namespaces belong to the thread (task), so nothing outside it — the test host, other
/// tests, the machine — sees the change, and the namespace ends with the thread.
/// </summary>
internal static partial class PrivateNamespace
{
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWNET = 0x40000000;

    public static void Run(int flags, Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Assert.Equal(0, unshare(flags));
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException(failure.ToString());
        }
    }

    /// <summary>unshare(2) for the calling thread; throws with the errno on failure.</summary>
    public static void Unshare(int flags)
    {
        if (unshare(flags) != 0)
        {
            throw new IOException($"unshare(0x{flags:X}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The calling thread's network namespace as a path for nsenter(1).</summary>
    public static string NetworkNamespacePath => $"/proc/{Environment.ProcessId}/task/{gettid()}/ns/net";

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();
}
