using System.Text;
using System.Text.Json;
using HvUtils.Core.Configuration;
using HvUtils.Core.Interop;
using HvUtils.Kvp;
using HvUtils.Kvp.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HvUtils.Cli.Kvp;

/// <summary>The work behind <c>hvutils kvp</c>: one pool file, opened without creating it, both locks per operation.</summary>
public sealed class KvpTool(string? configPath, string? poolDir, bool json, TextWriter output, TextWriter error)
{
    public const int NotFound = 1;
    public const int InvalidInput = 2;
    public const int MissingPool = 3;
    public const int Locked = 4;
    public const int Failed = 5;

    private TimeSpan _lockTimeout;

    public int List(int? pool)
    {
        if (!Settings(out string dir, out PoolFileSettings settings))
        {
            return InvalidInput;
        }
        int[] pools = pool is int p ? [p] : [0, 1, 2, 3, 4];
        using var doc = new MemoryStream();
        using (var w = new Utf8JsonWriter(doc, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (int n in pools)
            {
                int rc = WithPool(dir, n, settings, f => ListOne(f, w));
                if (rc != 0)
                {
                    return rc;
                }
            }
            w.WriteEndObject();
        }
        if (json)
        {
            output.WriteLine(Encoding.UTF8.GetString(doc.ToArray()));
        }
        return 0;
    }

    private int ListOne(KvpPoolFile file, Utf8JsonWriter w)
    {
        PoolStatus status = file.Snapshot(out List<(byte[] Key, byte[] Value)> records);
        if (status != PoolStatus.Ok)
        {
            return Fail(status, file, "");
        }
        w.WriteStartObject(file.Pool.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach ((byte[] key, byte[] value) in records)
        {
            w.WriteString(Text(key), Text(value));
            if (!json)
            {
                output.WriteLine($"{file.Pool}\t{Text(key)}\t{Text(value)}");
            }
        }
        w.WriteEndObject();
        return 0;
    }

    public int Get(int pool, string key) => Run(pool, key, null, (f, k, _) =>
    {
        byte[] value = new byte[KvpPoolFile.ValueSize];
        PoolStatus status = f.Get(k, value);
        if (status != PoolStatus.Ok)
        {
            return Fail(status, f, key);
        }
        string text = Text(Stored(value));
        output.WriteLine(json ? Json(w => { w.WriteString("pool", f.Pool.ToString(System.Globalization.CultureInfo.InvariantCulture)); w.WriteString("key", key); w.WriteString("value", text); }) : text);
        return 0;
    });

    public int Set(int pool, string key, string value) => Run(pool, key, value, (f, k, v) =>
    {
        PoolStatus status = f.Set(k, v);
        return status == PoolStatus.Ok ? Done(f, key, "set") : Fail(status, f, key);
    });

    public int Delete(int pool, string key) => Run(pool, key, null, (f, k, _) =>
    {
        PoolStatus status = f.Delete(k);
        return status == PoolStatus.Ok ? Done(f, key, "deleted") : Fail(status, f, key);
    });

    private int Done(KvpPoolFile f, string key, string what)
    {
        output.WriteLine(json ? Json(w => { w.WriteString("pool", f.Pool.ToString(System.Globalization.CultureInfo.InvariantCulture)); w.WriteString("key", key); w.WriteString("result", what); }) : $"{what} {key} in {f.Path}");
        return 0;
    }

    private int Run(int pool, string key, string? value, Func<KvpPoolFile, byte[], byte[], int> operation)
    {
        byte[] k = Encoding.UTF8.GetBytes(key);
        byte[] v = Encoding.UTF8.GetBytes(value ?? "");
        if (k.Length is 0 or >= KvpPoolFile.KeySize || k.Contains((byte)0))
        {
            error.WriteLine($"hvutils kvp: the key is {k.Length} UTF-8 bytes; it must be 1-{KvpPoolFile.KeySize - 1} bytes without NUL characters");
            return InvalidInput;
        }
        if (v.Length >= KvpPoolFile.ValueSize || v.Contains((byte)0))
        {
            error.WriteLine($"hvutils kvp: the value is {v.Length} UTF-8 bytes; it must be at most {KvpPoolFile.ValueSize - 1} bytes without NUL characters");
            return InvalidInput;
        }
        if (!Settings(out string dir, out PoolFileSettings settings))
        {
            return InvalidInput;
        }
        return WithPool(dir, pool, settings, f => operation(f, k, v));
    }

    private int WithPool(string dir, int pool, PoolFileSettings settings, Func<KvpPoolFile, int> action)
    {
        if (pool is < 0 or > 4)
        {
            error.WriteLine($"hvutils kvp: pool {pool} does not exist; pools are 0-4");
            return InvalidInput;
        }
        using var file = new KvpPoolFile(KvpPoolSet.FilePath(dir, pool), pool, settings);
        int rc = file.Open(create: false);
        if (rc < 0)
        {
            error.WriteLine(rc == -Errno.ENOENT
                ? $"hvutils kvp: pool file {file.Path} does not exist (hvutilsd creates it at start; is --pool-dir or Kvp:PoolDirectory right?)"
                : $"hvutils kvp: cannot open {file.Path}: {Errno.Describe(-rc)}");
            return rc == -Errno.ENOENT ? MissingPool : Failed;
        }
        return action(file);
    }

    private int Fail(PoolStatus status, KvpPoolFile f, string key)
    {
        (int code, string text) = status switch
        {
            PoolStatus.NotFound => (NotFound, $"key {key} not found in {f.Path}"),
            PoolStatus.LockTimeout => (Locked, $"{f.Path} stayed locked by another writer past Kvp:LockTimeout ({_lockTimeout}); nothing changed"),
            PoolStatus.Full => (Failed, $"{f.Path} already holds Kvp:MaxRecordsPerPool records; nothing changed"),
            PoolStatus.Damaged => (Failed, $"{f.Path} ends in a partial record; only existing keys can be changed"),
            _ => (Failed, $"reading or writing {f.Path} failed"),
        };
        error.WriteLine($"hvutils kvp: {text}");
        return code;
    }

    private bool Settings(out string dir, out PoolFileSettings settings)
    {
        var options = new KvpOptions();
        try
        {
            HvUtilsConfiguration.Build(configPath, []).GetSection(KvpOptions.Section).Bind(options);
        }
        catch (Exception ex) when (ex is ConfigurationException or InvalidOperationException)
        {
            error.WriteLine($"hvutils kvp: {(ex is ConfigurationException c ? c.Error.ToString() : ex.Message)}");
            dir = "";
            settings = null!;
            return false;
        }
        dir = poolDir ?? options.PoolDirectory;
        _lockTimeout = options.LockTimeout;
        settings = new PoolFileSettings(options.LockTimeout, options.MaxRecordsPerPool, CacheAcrossOperations: false, NullLogger.Instance);
        return true;
    }

    private static ReadOnlySpan<byte> Stored(byte[] field) => HvUtils.Kvp.Wire.Utf8Text.UpToNul(field);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
