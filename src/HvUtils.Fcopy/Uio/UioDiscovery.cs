using System.Globalization;

namespace HvUtils.Fcopy.Uio;

/// <summary>Where the fcopy channel's UIO device is (spec/fcopy.md B.1).</summary>
public sealed record UioDevice(string DeviceDirectory, string UioName, int RingSize);

/// <summary>
/// Finds the fcopy VMBus device through sysfs: scan <c>bus/vmbus/devices/*/class_id</c> for the
/// "Guest services" class GUID (instance GUIDs differ per host; upstream hard-codes one), take
/// the first <c>uio/uioN</c> under it, and R = <c>class/uio/uioN/maps/map0/size</c> ÷ 2 — the
/// size that is right on every kernel (the <c>channels/*/ring</c> file is not, before 6.16).
/// </summary>
public static class UioDiscovery
{
    public const string ClassGuid = "34d14be3-dee4-41c8-9ae7-6b174977c192";

    /// <summary>The fcopy device and its uio node, or null with the reason in <paramref name="detail"/>.</summary>
    public static UioDevice? Find(string sysfsRoot, out string detail, out string? unboundDevice)
    {
        unboundDevice = null;
        string devices = Path.Combine(sysfsRoot, "bus", "vmbus", "devices");
        string? deviceDir = null;
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(devices).Order(StringComparer.Ordinal))
            {
                string classFile = Path.Combine(dir, "class_id");
                if (File.Exists(classFile) && File.ReadAllText(classFile).Trim().Trim('{', '}').Equals(ClassGuid, StringComparison.OrdinalIgnoreCase))
                {
                    deviceDir = dir;
                    break;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        if (deviceDir is null)
        {
            detail = $"no VMBus device of class {{{ClassGuid}}} under {devices}";
            return null;
        }
        string uioDir = Path.Combine(deviceDir, "uio");
        string? uio = Directory.Exists(uioDir)
            ? Directory.EnumerateDirectories(uioDir).Select(Path.GetFileName).Where(n => n!.StartsWith("uio", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (uio is null)
        {
            unboundDevice = deviceDir;
            detail = $"{deviceDir} is not bound to uio_hv_generic (see Fcopy:AutoBindUio)";
            return null;
        }
        string sizeFile = Path.Combine(sysfsRoot, "class", "uio", uio, "maps", "map0", "size");
        if (!TryReadHex(sizeFile, out long mapSize) || mapSize < 2 * (VmbusRing.HeaderSize + 4096) || mapSize % 16 != 0)
        {
            detail = $"cannot read a usable ring size from {sizeFile}";
            return null;
        }
        detail = $"{deviceDir} → {uio}, {mapSize / 2} bytes per ring";
        return new UioDevice(deviceDir, uio, (int)(mapSize / 2));
    }

    private static bool TryReadHex(string file, out long value)
    {
        value = 0;
        try
        {
            string s = File.ReadAllText(file).Trim();
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                s = s[2..];
            }
            return long.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Fcopy:AutoBindUio: asks <c>uio_hv_generic</c> to claim the class (B.1: writing the GUID
    /// to <c>new_id</c> binds matching unbound devices at once). Returns an error text or null.
    /// </summary>
    public static string? Bind(string sysfsRoot)
    {
        string newId = Path.Combine(sysfsRoot, "bus", "vmbus", "drivers", "uio_hv_generic", "new_id");
        try
        {
            File.WriteAllText(newId, ClassGuid);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {newId}: {ex.Message} (is uio_hv_generic loaded?)";
        }
    }
}
