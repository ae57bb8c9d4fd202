using HvUtils.HostSim.Demo;

namespace HvUtils.HostSim.Kvp;

/// <summary>Demo: the host publishes values to the guest, the guest publishes to the host, and the host reads the AUTO pool.</summary>
public sealed class KvpDemo : IDemoStep
{
    public string Title => "KVP: values both ways and the AUTO pool";

    public async Task RunAsync(DemoSession s)
    {
        var host = new KvpHost(s.Simulator.Kvp);
        await s.Simulator.Kvp.WaitForStateAsync(Devices.DeviceState.Ready, TimeSpan.FromSeconds(10));
        string poolDir = Path.Combine(s.WorkDirectory, "pools");

        KvpHostResult set = await host.SetAsync(0, "VirtualMachineName", "demo-vm-01");
        s.Say($"Host SET pool 0 VirtualMachineName=demo-vm-01 → status 0x{set.Status:X8}.");
        var records = ReadPoolFile(Path.Combine(poolDir, ".kvp_pool_0"));
        s.Say($"The guest sees it in {poolDir}/.kvp_pool_0: {string.Join(", ", records.Select(r => $"{r.Key}={r.Value}"))}.");

        KvpHostResult get = await host.GetAsync(0, "VirtualMachineName");
        s.Say($"Host GET pool 0 VirtualMachineName → \"{get.Value}\" (the C daemon returns an empty value here).");

        WritePoolRecord(Path.Combine(poolDir, ".kvp_pool_1"), "GuestRole", "web-frontend");
        s.Say("A guest program appended GuestRole=web-frontend to .kvp_pool_1 (as cloud-init does).");
        (IReadOnlyList<KeyValuePair<string, string>> guest, _) = await host.EnumerateAllAsync(1);
        s.Say($"Host ENUMERATE pool 1: {string.Join(", ", guest.Select(r => $"{r.Key}={r.Value}"))}.");

        (IReadOnlyList<KeyValuePair<string, string>> auto, uint end) = await host.EnumerateAllAsync(2);
        s.Say($"Host ENUMERATE of the AUTO pool ({auto.Count} keys, then status 0x{end:X8} = end of list):");
        foreach (KeyValuePair<string, string> r in auto)
        {
            s.Say($"  {r.Key} = {r.Value}");
        }

        KvpHostResult delete = await host.DeleteAsync(0, "VirtualMachineName");
        s.Say($"Host DELETE pool 0 VirtualMachineName → 0x{delete.Status:X8}; the file now has {new FileInfo(Path.Combine(poolDir, ".kvp_pool_0")).Length} bytes.");
    }

    private static List<KeyValuePair<string, string>> ReadPoolFile(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var list = new List<KeyValuePair<string, string>>();
        for (int i = 0; i + 2560 <= bytes.Length; i += 2560)
        {
            list.Add(new(CString(bytes.AsSpan(i, 512)), CString(bytes.AsSpan(i + 512, 2048))));
        }
        return list;
    }

    private static void WritePoolRecord(string path, string key, string value)
    {
        byte[] record = new byte[2560];
        System.Text.Encoding.UTF8.GetBytes(key, record);
        System.Text.Encoding.UTF8.GetBytes(value, record.AsSpan(512));
        using var f = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        f.Write(record);
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }
}
