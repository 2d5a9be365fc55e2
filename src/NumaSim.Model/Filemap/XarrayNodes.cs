namespace NumaSim.Model.Filemap;

/// <summary>
/// The shape of an address space's xarray (lib/xarray.c): which xa_nodes exist, so that a store tells how many
/// radix_tree_node objects the kernel allocates for it. A node at level l covers 64^(l+1) indices; the tree is as
/// tall as the highest index stored needs (xas_expand adds roots above the old one), and a store creates the
/// missing nodes on its index's path (xas_create). An xarray holding only index 0 keeps it in xa_head, without a
/// node. Deleting the last entry of a leaf frees it and every ancestor it leaves empty (xas_delete_node); the
/// tree is not shrunk back (xas_shrink), which only truncation to a single page would reach.
/// </summary>
public sealed class XarrayNodes
{
    private const int ChunkShift = 6;

    /// <summary>The slab cache xa_nodes come from (radix_tree_init: SLAB_RECLAIM_ACCOUNT, with a constructor).</summary>
    public const string CacheName = "radix_tree_node";

    /// <summary>sizeof(struct xa_node) on a 64-bit kernel: 64 slots, 3 mark bitmaps, the header.</summary>
    public const int NodeSize = 576;

    // Per level, the nodes that exist (by index >> (6 * (level + 1))) and how many children each holds.
    private readonly List<Dictionary<long, int>> _levels = [];
    private bool _headEntry;

    /// <summary>xa_nodes allocated and not freed.</summary>
    public int Count { get; private set; }

    /// <summary>Stores an entry at <paramref name="index"/>: returns the nodes it allocated.</summary>
    public int Store(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (_levels.Count > 0 && index >> (ChunkShift * _levels.Count) == 0 && _levels[0].ContainsKey(index >> ChunkShift))
        {
            return 0;
        }
        if (Count == 0 && !_headEntry)
        {
            // Emptied (or never used): xa_head is NULL, and the tree is built again as tall as this index needs.
            _levels.Clear();
        }
        if (_levels.Count == 0 && !_headEntry && index == 0)
        {
            _headEntry = true;
            return 0;
        }
        var before = Count;
        var height = Height(index);
        var held = _headEntry || Count > 0;
        while (_levels.Count < height)
        {
            // xas_expand: a new root over what the xarray held; its first child is the old root (or the head's entry).
            var level = _levels.Count;
            _levels.Add([]);
            if (held)
            {
                Add(level, 0);
                if (level > 0)
                {
                    _levels[level][0]++;
                }
            }
        }
        _headEntry = false;
        for (var level = _levels.Count - 1; level >= 0; level--)
        {
            var prefix = index >> (ChunkShift * (level + 1));
            if (!_levels[level].ContainsKey(prefix))
            {
                Add(level, prefix);
                if (level + 1 < _levels.Count)
                {
                    _levels[level + 1][index >> (ChunkShift * (level + 2))]++;
                }
            }
        }
        return Count - before;
    }

    /// <summary>The leaf holding <paramref name="index"/> lost its last entry: frees it and the ancestors it empties.</summary>
    public int FreeLeaf(long index)
    {
        if (_levels.Count == 0)
        {
            _headEntry = false;
            return 0;
        }
        var before = Count;
        for (var level = 0; level < _levels.Count; level++)
        {
            var prefix = index >> (ChunkShift * (level + 1));
            if (level > 0 && --_levels[level][prefix] > 0)
            {
                break;
            }
            _levels[level].Remove(prefix);
            Count--;
        }
        return before - Count;
    }

    private void Add(int level, long prefix)
    {
        _levels[level][prefix] = 0;
        Count++;
    }

    private static int Height(long index)
    {
        var height = 1;
        while (height * ChunkShift < 63 && index >> (height * ChunkShift) > 0)
        {
            height++;
        }
        return height;
    }
}
