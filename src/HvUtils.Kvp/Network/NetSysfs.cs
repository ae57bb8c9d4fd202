namespace HvUtils.Kvp.Network;

/// <summary>
/// The interface directory (<c>/sys/class/net</c> or a fake tree in tests): names in directory order,
/// MAC addresses, VMBus device ids and ifindexes (kvp.md §7, §8.1).
/// </summary>
public sealed class NetSysfs(string root)
{
    public string Root { get; } = root;

    /// <summary>Interface names in directory (readdir) order, as the C daemon walks them.</summary>
    public IEnumerable<string> InterfaceNames()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string path in entries)
        {
            yield return Path.GetFileName(path);
        }
    }

    /// <summary>True when <paramref name="root"/> can be listed (kvp.md §7: unreadable → HV_E_FAIL).</summary>
    public bool Exists => Directory.Exists(Root);

    /// <summary>The first line of <c>&lt;if&gt;/address</c>, upper-cased like the C daemon does; null if unreadable.</summary>
    public string? Mac(string interfaceName) => FirstLine(interfaceName, "address")?.ToUpperInvariant();

    /// <summary>The first line of <c>&lt;if&gt;/device/device_id</c> (<c>{guid}</c> for VMBus NICs); null if absent.</summary>
    public string? DeviceId(string interfaceName) => FirstLine(interfaceName, "device/device_id");

    /// <summary><c>&lt;if&gt;/ifindex</c>, the key of the resolved / networkd / NetworkManager state files; 0 if unknown.</summary>
    public int IfIndex(string interfaceName) =>
        int.TryParse(FirstLine(interfaceName, "ifindex"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int index) ? index : 0;

    /// <summary>The interface whose device id equals <paramref name="guid"/> exactly (kvp.md §8.1), or null.</summary>
    public string? FindByDeviceId(string guid)
    {
        if (guid.Length == 0)
        {
            return null;
        }
        foreach (string name in InterfaceNames())
        {
            if (DeviceId(name) == guid)
            {
                return name;
            }
        }
        return null;
    }

    private string? FirstLine(string interfaceName, string file)
    {
        try
        {
            using var reader = new StreamReader(Path.Combine(Root, interfaceName, file));
            return reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
