namespace HvUtils.HostSim.Devices;

/// <summary>The host's request got no daemon reply; the kernel answered the host HV_E_FAIL (spec/transport.md §8).</summary>
public sealed class HostRequestException(string message) : Exception(message);
