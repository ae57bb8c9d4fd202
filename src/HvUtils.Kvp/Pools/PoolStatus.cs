namespace HvUtils.Kvp.Pools;

/// <summary>What a pool operation did.</summary>
public enum PoolStatus
{
    Ok,
    NotFound,
    /// <summary>Another writer held a lock past <c>Kvp:LockTimeout</c>.</summary>
    LockTimeout,
    /// <summary>The file could not be opened, read or written.</summary>
    IoError,
    /// <summary>A new key would pass <c>Kvp:MaxRecordsPerPool</c>.</summary>
    Full,
    /// <summary>The file ends in a partial record or holds more records than the index covers: only in-place updates are safe.</summary>
    Damaged,
}
