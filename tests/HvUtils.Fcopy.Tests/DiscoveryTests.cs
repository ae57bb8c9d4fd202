using HvUtils.Core.Transport;
using HvUtils.Fcopy.Uio;
using HvUtils.Testing;

namespace HvUtils.Fcopy.Tests;

public sealed class DiscoveryTests : IDisposable
{
    private readonly TempDirectory _sys = new("hvutils-sysfs-");

    public void Dispose() => _sys.Dispose();

    private string Device(string instance, string classId, string? uio)
    {
        string dir = _sys.Combine("bus", "vmbus", "devices", instance);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "class_id"), classId + "\n");
        if (uio is not null)
        {
            Directory.CreateDirectory(Path.Combine(dir, "uio", uio));
        }
        return dir;
    }

    private void MapSize(string uio, string size)
    {
        string d = _sys.Combine("class", "uio", uio, "maps", "map0");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "size"), size + "\n");
    }

    [Fact]
    public void Finds_the_device_by_class_id_whatever_its_instance_guid()
    {
        Device("1111", "{a9a0f4e7-5a45-4d96-b827-8a841e8c03e6}", "uio0");
        string dev = Device("2222", "{34D14BE3-DEE4-41C8-9AE7-6B174977C192}", "uio3");
        MapSize("uio3", "0xa000"); // 6.16+: 20 KiB per ring
        UioDevice? d = UioDiscovery.Find(_sys.Path, out _, out _);
        Assert.NotNull(d);
        Assert.Equal(dev, d.DeviceDirectory);
        Assert.Equal("uio3", d.UioName);
        Assert.Equal(20480, d.RingSize);
    }

    [Fact]
    public void An_unbound_device_is_missing_and_auto_bind_writes_new_id()
    {
        Device("3333", "{34d14be3-dee4-41c8-9ae7-6b174977c192}", null);
        Assert.Null(UioDiscovery.Find(_sys.Path, out string detail, out string? unbound));
        Assert.Contains("not bound", detail);
        Assert.NotNull(unbound);
        string driver = _sys.Combine("bus", "vmbus", "drivers", "uio_hv_generic");
        Directory.CreateDirectory(driver);
        var endpoint = new UioEndpoint(new FcopyOptions { SysfsRoot = _sys.Path, DevRoot = _sys.Combine("dev"), AutoBindUio = true });
        Assert.Equal(DeviceOpenOutcome.Missing, endpoint.TryOpen().Outcome);
        Assert.Equal(UioDiscovery.ClassGuid, File.ReadAllText(Path.Combine(driver, "new_id")));
    }

    [Fact]
    public void Auto_bind_is_off_by_default()
    {
        Device("3333", "{34d14be3-dee4-41c8-9ae7-6b174977c192}", null);
        string driver = _sys.Combine("bus", "vmbus", "drivers", "uio_hv_generic");
        Directory.CreateDirectory(driver);
        new UioEndpoint(new FcopyOptions { SysfsRoot = _sys.Path, DevRoot = _sys.Combine("dev") }).TryOpen();
        Assert.False(File.Exists(Path.Combine(driver, "new_id")));
    }

    [Fact]
    public void Auto_transport_prefers_the_legacy_device_and_falls_back_to_uio()
    {
        string dev = _sys.Combine("dev");
        Directory.CreateDirectory(dev);
        var endpoint = new FcopyEndpoint(new FcopyOptions { SysfsRoot = _sys.Path, DevRoot = dev, DevicePath = Path.Combine(dev, "vmbus", "hv_fcopy") });
        DeviceOpenResult r = endpoint.TryOpen();
        Assert.Equal(DeviceOpenOutcome.Missing, r.Outcome);
        Assert.Contains("hv_fcopy", r.Detail);
        Assert.Contains("34d14be3", r.Detail);
        Assert.Equal(dev, endpoint.WatchDirectory);
    }
}
