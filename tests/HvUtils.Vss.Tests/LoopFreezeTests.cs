using HvUtils.Core.Channels;
using HvUtils.Testing;
using HvUtils.Vss.Freezing;

namespace HvUtils.Vss.Tests;

/// <summary>The real FIFREEZE/FITHAW on an ext4 loop filesystem this test creates (root only).</summary>
public sealed class LoopFreezeTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Completes = TimeSpan.FromSeconds(10);

    [RootFact]
    public void Channel_freeze_blocks_a_writer_until_thaw()
    {
        using var dir = new TempDirectory();
        using LoopFilesystem fs = LoopFilesystem.Create();
        var options = new VssOptions { Include = [fs.MountPoint], HooksDirectory = dir.Combine("hooks") };
        using var channel = new VssChannel(options, dir.Combine("run"), new ListLogger(), null, KernelFreezeControl.Instance, null);
        byte[] reply = new byte[12];
        FreezePlanGuard.AssertOnly(fs.MountPoint, options);
        try
        {
            Assert.Equal("success", channel.Handle(Convert.FromHexString("050000000000000000000000"), reply).Outcome);
            Assert.Equal([fs.MountPoint], channel.FrozenMounts);
            Assert.Equal([fs.MountPoint], new FreezeMarker(dir.Combine("run")).Read());
            using FrozenWriteProbe probe = FrozenWriteProbe.Start(fs.MountPoint);
            Assert.True(probe.StaysBlockedFor(Blocked), "a write completed on a frozen filesystem");
            Assert.Equal("success", channel.Handle(Convert.FromHexString("060000000000000000000000"), reply).Outcome);
            Assert.Equal(HvStatus.S_OK, BitConverter.ToUInt32(reply));
            Assert.True(probe.Completes(Completes), "the write did not complete after THAW");
            Assert.Empty(new FreezeMarker(dir.Combine("run")).Read());
        }
        finally
        {
            channel.OnConnectionReset();
        }
    }

    [RootFact]
    public void Recovery_thaws_what_the_marker_lists_as_hvutils_vss_thaw_does()
    {
        using var dir = new TempDirectory();
        using LoopFilesystem fs = LoopFilesystem.Create();
        var marker = new FreezeMarker(dir.Combine("run"));
        FreezePlanGuard.AssertOnly(fs.MountPoint);
        try
        {
            Assert.Equal(0, marker.Append(fs.MountPoint));
            Assert.Equal(0, KernelFreezeControl.Instance.Freeze(fs.MountPoint));
            using FrozenWriteProbe probe = FrozenWriteProbe.Start(fs.MountPoint);
            Assert.True(probe.StaysBlockedFor(Blocked));
            var lines = new List<string>();
            Assert.Equal(0, FreezeRecovery.ThawListed(KernelFreezeControl.Instance, marker, lines.Add));
            Assert.Equal([$"thawed {fs.MountPoint}"], lines);
            Assert.True(probe.Completes(Completes));
            Assert.Empty(marker.Read());
        }
        finally
        {
            KernelFreezeControl.Instance.Thaw(fs.MountPoint);
        }
    }

    [RootFact]
    public void Freezing_a_frozen_filesystem_is_EBUSY_and_thawing_a_thawed_one_EINVAL()
    {
        using LoopFilesystem fs = LoopFilesystem.Create();
        FreezePlanGuard.AssertOnly(fs.MountPoint);
        try
        {
            Assert.Equal(0, KernelFreezeControl.Instance.Freeze(fs.MountPoint));
            Assert.Equal(-Core.Interop.Errno.EBUSY, KernelFreezeControl.Instance.Freeze(fs.MountPoint));
            Assert.Equal(0, KernelFreezeControl.Instance.Thaw(fs.MountPoint));
            Assert.Equal(-Core.Interop.Errno.EINVAL, KernelFreezeControl.Instance.Thaw(fs.MountPoint));
        }
        finally
        {
            KernelFreezeControl.Instance.Thaw(fs.MountPoint);
        }
    }
}
