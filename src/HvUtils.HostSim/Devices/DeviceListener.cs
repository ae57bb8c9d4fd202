using System.Net.Sockets;

namespace HvUtils.HostSim.Devices;

/// <summary>The listening side of a simulated device node, shared by the char-device sockets and the UIO host.</summary>
internal static class DeviceListener
{
    /// <summary>The next opener, or null once the simulator stops or the listener is closed (disposal, Disappear()).</summary>
    public static async Task<Socket?> AcceptAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            return await listener.AcceptAsync(stop).ConfigureAwait(false);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
