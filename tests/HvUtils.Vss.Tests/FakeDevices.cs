using HvUtils.Testing;
using HvUtils.Vss.Freezing;
using HvUtils.Vss.Planning;

namespace HvUtils.Vss.Tests;

/// <summary>A sysfs tree under a temp directory and a fixed source → device table, so plans do not depend on this machine.</summary>
public sealed class FakeDevices : BlockDevices, IDisposable
{
    private readonly TempDirectory _sysfs;
    private readonly Dictionary<string, (uint, uint)> _sources;

    private FakeDevices(TempDirectory sysfs, Dictionary<string, (uint, uint)> sources)
        : base(sysfs.Path)
    {
        _sysfs = sysfs;
        _sources = sources;
    }

    /// <summary>7:0 is a loop device, 253:0 a device-mapper volume stacked on loop 7:1; every /dev/sdXN resolves; /dev/sr0 cannot be stat'ed.</summary>
    public static FakeDevices Create()
    {
        var sysfs = new TempDirectory("hvutils-sysfs-");
        Directory.CreateDirectory(sysfs.Combine("7:0", "loop"));
        Directory.CreateDirectory(sysfs.Combine("7:1", "loop"));
        Directory.CreateDirectory(sysfs.Combine("253:0", "slaves", "loop1", "loop"));
        Directory.CreateDirectory(sysfs.Combine("8:17"));
        var sources = new Dictionary<string, (uint, uint)>
        {
            ["/dev/loop0"] = (7, 0),
            ["/dev/mapper/vg-lv"] = (253, 0),
            ["/dev/sdb1"] = (8, 17),
        };
        for (uint i = 1; i <= 7; i++)
        {
            sources[$"/dev/sda{i}"] = (254, i);
        }
        return new FakeDevices(sysfs, sources);
    }

    public override (uint Major, uint Minor)? DeviceOf(string source) => _sources.TryGetValue(source, out var d) ? d : null;

    public void Dispose() => _sysfs.Dispose();
}

/// <summary>An in-memory FIFREEZE/FITHAW with injectable errors that records every call (and the marker at freeze time).</summary>
public sealed class FakeFreezeControl(FreezeMarker? marker = null) : IFreezeControl
{
    public List<string> Calls { get; } = [];

    public HashSet<string> Frozen { get; } = [];

    public Dictionary<string, int> FreezeErrors { get; } = [];

    public Dictionary<string, int> ThawErrors { get; } = [];

    /// <summary>The marker's content when each FIFREEZE was issued.</summary>
    public List<IReadOnlyList<string>> MarkerAtFreeze { get; } = [];

    public int Freeze(string mountPoint)
    {
        Calls.Add($"freeze {mountPoint}");
        if (marker is not null)
        {
            MarkerAtFreeze.Add(marker.Read());
        }
        if (FreezeErrors.TryGetValue(mountPoint, out int e))
        {
            return -e;
        }
        return Frozen.Add(mountPoint) ? 0 : -Core.Interop.Errno.EBUSY;
    }

    public int Thaw(string mountPoint)
    {
        Calls.Add($"thaw {mountPoint}");
        if (ThawErrors.TryGetValue(mountPoint, out int e))
        {
            return -e;
        }
        return Frozen.Remove(mountPoint) ? 0 : -Core.Interop.Errno.EINVAL;
    }
}
