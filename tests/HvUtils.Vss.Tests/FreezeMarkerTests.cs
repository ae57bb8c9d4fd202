using HvUtils.Core.Channels;
using HvUtils.Core.Interop;
using HvUtils.Testing;
using HvUtils.Vss.Freezing;

namespace HvUtils.Vss.Tests;

public sealed class FreezeMarkerTests
{
    [Fact]
    public void Paths_with_newlines_and_backslashes_round_trip_and_clear_truncates()
    {
        using var dir = new TempDirectory();
        var marker = new FreezeMarker(dir.Combine("run", "nested"));
        Assert.Empty(marker.Read());
        Assert.Equal(0, marker.Append("/mnt/odd\nname"));
        Assert.Equal(0, marker.Append(@"/mnt/back\slash"));
        Assert.Equal("/mnt/odd\\012name\n/mnt/back\\134slash\n", File.ReadAllText(marker.Path));
        Assert.Equal(["/mnt/odd\nname", @"/mnt/back\slash"], marker.Read());
        Assert.Equal(0, marker.Clear());
        Assert.Equal(0, new FileInfo(marker.Path).Length);
    }

    [Fact]
    public void A_runtime_directory_on_a_filesystem_frozen_before_others_refuses_the_freeze()
    {
        using var dir = new TempDirectory();
        using FakeDevices devices = FakeDevices.Create();
        Assert.Equal(0, Native.StatPath(dir.Path, out FileStatus st));
        string device = $"{Native.DevMajor(st.Device)}:{Native.DevMinor(st.Device)}";
        // The marker's filesystem is planned first: after its FIFREEZE the next append would block forever.
        File.WriteAllText(dir.Combine("mountinfo"), $"1 0 {device} / /data rw - ext4 /dev/vdz9 rw\n2 0 254:1 / / rw - ext4 /dev/sda1 rw\n");
        var control = new FakeFreezeControl();
        var logger = new ListLogger();
        var options = new VssOptions { MountInfoPath = dir.Combine("mountinfo"), HooksDirectory = dir.Combine("hooks") };
        using var channel = new VssChannel(options, dir.Combine("run"), logger, null, control, devices);
        byte[] reply = new byte[12];
        channel.Handle(Convert.FromHexString("050000000000000000000000"), reply);
        Assert.Equal(HvStatus.E_FAIL, BitConverter.ToUInt32(reply));
        Assert.Empty(control.Calls);
        Assert.Contains(logger.Lines, l => l.Contains("freeze marker) is on /data", StringComparison.Ordinal));
    }
}
