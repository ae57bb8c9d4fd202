namespace HvUtils.Kvp.Tests.Network;

/// <summary>
/// A fake <c>/sys/class/net</c>: one directory per interface with <c>address</c> (lower case, as the kernel
/// writes it), <c>ifindex</c> and, for VMBus NICs, <c>device/device_id</c>. Veth links have no VMBus id, so
/// the tests supply one here.
/// </summary>
public sealed class FakeSysfs(string root)
{
    public string Root { get; } = root;

    public FakeSysfs Add(string name, string? mac, int ifIndex = 0, string? deviceId = null)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        if (mac is not null)
        {
            File.WriteAllText(Path.Combine(dir, "address"), mac.ToLowerInvariant() + "\n");
        }
        File.WriteAllText(Path.Combine(dir, "ifindex"), ifIndex + "\n");
        if (deviceId is not null)
        {
            Directory.CreateDirectory(Path.Combine(dir, "device"));
            File.WriteAllText(Path.Combine(dir, "device", "device_id"), deviceId + "\n");
        }
        return this;
    }

    public void Remove(string name) => Directory.Delete(Path.Combine(Root, name), recursive: true);

    public List<string> Order() => new HvUtils.Kvp.Network.NetSysfs(Root).InterfaceNames().ToList();
}
