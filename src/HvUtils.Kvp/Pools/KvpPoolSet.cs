using HvUtils.Core.Interop;

namespace HvUtils.Kvp.Pools;

/// <summary>
/// The five pool files <c>.kvp_pool_0</c> … <c>.kvp_pool_4</c> in one directory (spec/kvp.md §5.1):
/// the directory is created 0755 and every file 0644 at start-up, like the C daemon,
/// including <c>.kvp_pool_2</c>, which host SET/GET/DELETE use while ENUMERATE of pool 2
/// is answered from the AUTO table.
/// </summary>
public sealed class KvpPoolSet : IDisposable
{
    private readonly KvpPoolFile[] _pools;

    public KvpPoolSet(string directory, PoolFileSettings settings)
    {
        Directory = directory;
        _pools = new KvpPoolFile[Wire.KvpPools.Count];
        for (int i = 0; i < _pools.Length; i++)
        {
            _pools[i] = new KvpPoolFile(FilePath(directory, i), i, settings);
        }
    }

    public string Directory { get; }

    public static string FilePath(string directory, int pool) => System.IO.Path.Combine(directory, $".kvp_pool_{pool}");

    /// <summary>Pool 0–4; null for anything else (the kernel forwards the pool byte unvalidated).</summary>
    public KvpPoolFile? this[int pool] => (uint)pool < (uint)_pools.Length ? _pools[pool] : null;

    public IReadOnlyList<KvpPoolFile> All => _pools;

    /// <summary>Creates the directory and the five files; returns the first error as -errno (0 when all exist).</summary>
    public int Create()
    {
        try
        {
            if (!System.IO.Directory.Exists(Directory) && !OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -Errno.EACCES;
        }
        int first = 0;
        foreach (KvpPoolFile pool in _pools)
        {
            int rc = pool.Open();
            if (rc < 0 && first == 0)
            {
                first = rc;
            }
        }
        return first;
    }

    public void Dispose()
    {
        foreach (KvpPoolFile pool in _pools)
        {
            pool.Dispose();
        }
    }
}
