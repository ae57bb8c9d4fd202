using System.Buffers.Binary;
using HvUtils.HostSim.Kvp;
using HvUtils.Testing;

namespace HvUtils.Integration.Tests;

/// <summary>The real hvutilsd serving KVP through the simulator (issue 3 point 7), with the kernel's conversions on the host side.</summary>
public sealed class KvpDaemonTests
{
    private const uint SCont = 0x80070103;
    private const uint EFail = 0x80004005;

    [Fact]
    public async Task Host_set_get_enumerate_delete_end_to_end()
    {
        using var dir = new TempDirectory();
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        Assert.True((await s.Host.SetAsync(0, "VirtualMachineName", "vm-\u00fc-\U0001F600")).Ok);
        Assert.True((await s.Host.SetNumberAsync(0, "Generation", 4294967295, is64Bit: false)).Ok);
        Assert.True((await s.Host.SetNumberAsync(0, "Big", ulong.MaxValue, is64Bit: true)).Ok);
        Assert.Equal("vm-\u00fc-\U0001F600", (await s.Host.GetAsync(0, "VirtualMachineName")).Value);
        Assert.Equal("4294967295", (await s.Host.GetAsync(0, "Generation")).Value);
        Assert.Equal("18446744073709551615", (await s.Host.GetAsync(0, "Big")).Value);
        (IReadOnlyList<KeyValuePair<string, string>> records, uint end) = await s.Host.EnumerateAllAsync(0);
        Assert.Equal(SCont, end);
        Assert.Equal(["VirtualMachineName", "Generation", "Big"], records.Select(r => r.Key));
        Assert.Equal(3 * 2560, new FileInfo(s.PoolFile(0)).Length);
        Assert.True((await s.Host.DeleteAsync(0, "VirtualMachineName")).Ok);
        Assert.Equal(SCont, (await s.Host.GetAsync(0, "VirtualMachineName")).Status);
        Assert.Equal(SCont, (await s.Host.DeleteAsync(0, "VirtualMachineName")).Status);
        Assert.Equal(2 * 2560, new FileInfo(s.PoolFile(0)).Length);
    }

    [Fact]
    public async Task Auto_pool_enumerates_ten_keys_with_the_handshake_version_and_configured_os_release()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("os-release"), "NAME=\"HvUtils Test OS\"\nVERSION_ID=\"42.1\"\n");
        await using KvpSession s = await KvpSession.StartAsync(dir.Path, [$"--Kvp:OsReleasePath={dir.Combine("os-release")}"]);
        (IReadOnlyList<KeyValuePair<string, string>> auto, uint end) = await s.Host.EnumerateAllAsync(2);
        Assert.Equal(SCont, end);
        Assert.Equal(
            ["FullyQualifiedDomainName", "IntegrationServicesVersion", "NetworkAddressIPv4", "NetworkAddressIPv6", "OSBuildNumber", "OSName", "OSMajorVersion", "OSMinorVersion", "OSVersion", "ProcessorArchitecture"],
            auto.Select(a => a.Key));
        var values = auto.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("3.1", values["IntegrationServicesVersion"]);
        Assert.Equal("HvUtils Test OS", values["OSName"]);
        Assert.Equal("42.1", values["OSMajorVersion"]);
        Assert.Equal(Environment.OSVersion.Version.ToString(3), values["OSVersion"][..Environment.OSVersion.Version.ToString(3).Length]);
        Assert.False(string.IsNullOrEmpty(values["FullyQualifiedDomainName"]));
    }

    [Fact]
    public async Task Every_malformed_request_class_gets_its_status_and_the_daemon_keeps_serving()
    {
        using var dir = new TempDirectory();
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        Assert.True((await s.Host.SetAsync(1, "keep", "me")).Ok);
        byte[] before = File.ReadAllBytes(s.PoolFile(1));
        foreach (byte pool in new byte[] { 5, 200, 255 })
        {
            Assert.Equal(EFail, await Status(s, Raw(1, pool, m => Key(m, 8, 16, "k"))));
            Assert.Equal(EFail, await Status(s, Raw(3, pool, m => U32(m, 4, 0))));
        }
        Assert.Equal(SCont, await Status(s, Raw(3, 1, m => U32(m, 4, 0x80000000))));
        Assert.Equal(SCont, await Status(s, Raw(3, 1, m => U32(m, 4, 0xFFFFFFFF))));
        Assert.Equal(SCont, await Status(s, Raw(1, 1, m => { Key(m, 8, 16, "keep"); U32(m, 8, 0); })));
        Assert.Equal(SCont, await Status(s, Raw(1, 1, m => { Key(m, 8, 16, "keep"); U32(m, 8, 513); })));
        Assert.Equal(SCont, await Status(s, Raw(1, 1, m => { Key(m, 8, 16, "keep"); U32(m, 8, 3); })));
        Assert.Equal(SCont, await Status(s, Raw(1, 1, m => { Key(m, 8, 16, "keep"); U32(m, 12, 2049); })));
        Assert.Equal(SCont, await Status(s, Raw(2, 1, m => U32(m, 4, 0))));
        Assert.Equal(0x80070032u, await Status(s, Raw(6, 1, _ => { })));
        Assert.Equal(0x80070032u, await Status(s, Raw(77, 1, _ => { })));
        Assert.Equal(before, File.ReadAllBytes(s.PoolFile(1)));
        Assert.Equal("me", (await s.Host.GetAsync(1, "keep")).Value);
        Assert.False(s.Daemon.HasExited);
    }

    [Fact]
    public async Task Values_published_with_hvutils_reach_the_host_and_host_values_reach_hvutils()
    {
        using var dir = new TempDirectory();
        await using KvpSession s = await KvpSession.StartAsync(dir.Path);
        (int code, string output) = ProcessRunner.Run(KvpSession.HvutilsBinary, ["kvp", "set", "--pool-dir", s.PoolDirectory, "GuestRole", "db"], check: false);
        Assert.True(code == 0, output);
        KvpHostResult r = await s.Host.EnumerateAsync(1, 0);
        Assert.Equal(("GuestRole", "db"), (r.Key, r.Value));
        Assert.True((await s.Host.SetAsync(0, "HostNote", "hello guest")).Ok);
        (code, output) = ProcessRunner.Run(KvpSession.HvutilsBinary, ["kvp", "get", "--pool", "0", "--pool-dir", s.PoolDirectory, "HostNote"], check: false);
        Assert.Equal((0, "hello guest\n"), (code, output));
    }

    private static async Task<uint> Status(KvpSession s, byte[] message) => BinaryPrimitives.ReadUInt32LittleEndian(await s.Host.RawAsync(message));

    private static byte[] Raw(byte op, byte pool, Action<byte[]> fill)
    {
        byte[] m = new byte[KvpHostConversion.MessageSize];
        m[0] = op;
        m[1] = pool;
        fill(m);
        return m;
    }

    private static void U32(byte[] m, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(offset), value);

    private static void Key(byte[] m, int sizeOffset, int offset, string key)
    {
        int n = System.Text.Encoding.UTF8.GetBytes(key, m.AsSpan(offset));
        U32(m, sizeOffset, (uint)n + 1);
    }
}
