namespace HvUtils.Kvp.Pools;

/// <summary>
/// The in-memory index of one pool file: every record's key (up to its NUL) by slot, and
/// a hash from key to slot. The first slot holding a key wins (spec/kvp.md §5.6); later
/// duplicates — cloud-init appends, or a DELETE interrupted between its move and its
/// truncate — are hidden from ENUMERATE. Lookups allocate nothing.
/// </summary>
internal sealed class PoolIndex
{
    private byte[] _keys = [];
    private ushort[] _lengths = [];
    private int[] _hashes = [];
    private int[] _next = [];
    private int[] _buckets = [];
    private int[] _visible = [];
    private bool _visibleDirty;
    private int _count;
    private int _duplicates;

    /// <summary>Records in the file that the index covers.</summary>
    public int Count => _count;

    /// <summary>Distinct keys: what ENUMERATE walks.</summary>
    public int VisibleCount => _count - _duplicates;

    public int Duplicates => _duplicates;

    public ReadOnlySpan<byte> Key(int slot) => _keys.AsSpan(slot * KvpPoolFile.KeySize, _lengths[slot]);

    /// <summary>Empties the index, keeping room for <paramref name="capacity"/> records.</summary>
    public void Reset(int capacity)
    {
        _count = 0;
        _duplicates = 0;
        _visibleDirty = true;
        if (capacity > _lengths.Length)
        {
            Grow(capacity);
        }
        Array.Fill(_buckets, -1);
    }

    /// <summary>The first slot whose key equals <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (_count == 0)
        {
            return -1;
        }
        int hash = Hash(key);
        int best = -1;
        for (int s = _buckets[hash & (_buckets.Length - 1)]; s >= 0; s = _next[s])
        {
            if (_hashes[s] == hash && (best < 0 || s < best) && Key(s).SequenceEqual(key))
            {
                best = s;
            }
        }
        return best;
    }

    /// <summary>Appends the key of the next slot in file order.</summary>
    public void Add(ReadOnlySpan<byte> key)
    {
        if (_count == _lengths.Length)
        {
            Grow(Math.Max(64, _count * 2));
        }
        if (Find(key) >= 0)
        {
            _duplicates++;
        }
        int slot = _count++;
        key.CopyTo(_keys.AsSpan(slot * KvpPoolFile.KeySize));
        _lengths[slot] = (ushort)key.Length;
        Link(slot, Hash(key));
        _visibleDirty = true;
    }

    /// <summary>Mirrors a DELETE on disk: the last record moved into <paramref name="slot"/>, the file one record shorter.</summary>
    public void RemoveByMovingLast(int slot)
    {
        int last = _count - 1;
        if (slot != last)
        {
            Key(last).CopyTo(_keys.AsSpan(slot * KvpPoolFile.KeySize));
            _lengths[slot] = _lengths[last];
        }
        int count = last;
        Reset(count);
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<byte> key = _keys.AsSpan(s * KvpPoolFile.KeySize, _lengths[s]);
            if (Find(key) >= 0)
            {
                _duplicates++;
            }
            _count = s + 1;
            Link(s, Hash(key));
        }
    }

    /// <summary>The slot of the <paramref name="index"/>-th distinct key in file order.</summary>
    public int VisibleSlot(int index)
    {
        if (_duplicates == 0)
        {
            return index;
        }
        if (_visibleDirty)
        {
            if (_visible.Length < _count)
            {
                _visible = new int[_lengths.Length];
            }
            int n = 0;
            for (int s = 0; s < _count; s++)
            {
                if (Find(Key(s)) == s)
                {
                    _visible[n++] = s;
                }
            }
            _visibleDirty = false;
        }
        return _visible[index];
    }

    private void Link(int slot, int hash)
    {
        _hashes[slot] = hash;
        ref int head = ref _buckets[hash & (_buckets.Length - 1)];
        _next[slot] = head;
        head = slot;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _keys, capacity * KvpPoolFile.KeySize);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _hashes, capacity);
        Array.Resize(ref _next, capacity);
        _buckets = new int[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
        Array.Fill(_buckets, -1);
        for (int s = 0; s < _count; s++)
        {
            Link(s, _hashes[s]);
        }
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }
}
