namespace NumaSim.Model.Filemap;

/// <summary>
/// A file's struct address_space: which page of the file is cached in which pfn. Slots live in 64-slot leaves, as
/// the xarray's do (XA_CHUNK_SIZE), and <see cref="XarrayNodes"/> keeps the tree above them, so that a store says how
/// many radix_tree_node objects the kernel allocates for it.
/// A slot holds nothing, a cached page, or the shadow entry an evicted page left behind (workingset.c), which a
/// refault reads to tell how long the page was gone.
/// </summary>
public sealed class FileMapping
{
    /// <summary>XA_CHUNK_SIZE: slots per xarray node.</summary>
    public const int SlotsPerNode = 64;

    // Per slot: 0 empty, pfn + 1 for a cached page, -(shadow + 1) for a shadow entry.
    private readonly Dictionary<long, long[]> _nodes = [];
    private readonly HashSet<long> _readaheadMarks = [];
    private readonly XarrayNodes _xarray = new();

    public FileMapping(int id, string name, long sizePages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizePages);
        Id = id;
        Name = name;
        SizePages = sizePages;
    }

    public int Id { get; }
    public string Name { get; }

    /// <summary>i_size in pages: reads stop here, readahead never goes past it.</summary>
    public long SizePages { get; }

    /// <summary>Cached pages (mapping->nrpages).</summary>
    public long NrPages { get; private set; }

    /// <summary>Shadow entries left by evicted pages.</summary>
    public long NrShadows { get; private set; }

    /// <summary>Xarray nodes: the leaves holding at least one page or shadow, and the nodes above them.</summary>
    public int XaNodes => _xarray.Count;

    public bool TryGet(long index, out long pfn)
    {
        pfn = -1;
        if (!_nodes.TryGetValue(index / SlotsPerNode, out var node))
        {
            return false;
        }
        var slot = node[index % SlotsPerNode];
        if (slot <= 0)
        {
            return false;
        }
        pfn = slot - 1;
        return true;
    }

    /// <summary>
    /// filemap_add_folio: caches <paramref name="pfn"/> at <paramref name="index"/>. Returns the shadow entry the
    /// slot held (-1: none) and how many xarray nodes were allocated for it.
    /// </summary>
    public (long Shadow, int NewNodes) Add(long index, long pfn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pfn);
        if (index < 0 || index >= SizePages)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"page {index} is beyond {Name}'s {SizePages} pages");
        }
        var newLeaf = !_nodes.TryGetValue(index / SlotsPerNode, out var node);
        if (newLeaf)
        {
            node = _nodes[index / SlotsPerNode] = new long[SlotsPerNode];
        }
        var slot = node![index % SlotsPerNode];
        if (slot > 0)
        {
            throw new InvalidOperationException($"page {index} of {Name} is already cached");
        }
        var shadow = -1L;
        if (slot < 0)
        {
            shadow = -slot - 1;
            NrShadows--;
        }
        node[index % SlotsPerNode] = pfn + 1;
        NrPages++;
        // Once the xarray has a node, its leaves are these; before that, index 0 may sit in the head alone.
        return (shadow, shadow < 0 && (newLeaf || _xarray.Count == 0) ? _xarray.Store(index) : 0);
    }

    /// <summary>
    /// __filemap_remove_folio: the page leaves the cache, leaving <paramref name="shadow"/> behind (-1: nothing,
    /// as truncation leaves). Returns whether the slot's xarray node was freed with it.
    /// </summary>
    public bool Remove(long index, long shadow = -1)
    {
        if (!_nodes.TryGetValue(index / SlotsPerNode, out var node) || node[index % SlotsPerNode] <= 0)
        {
            throw new InvalidOperationException($"page {index} of {Name} is not cached");
        }
        _readaheadMarks.Remove(index);
        NrPages--;
        if (shadow >= 0)
        {
            node[index % SlotsPerNode] = -(shadow + 1);
            NrShadows++;
            return false;
        }
        node[index % SlotsPerNode] = 0;
        if (Array.TrueForAll(node, s => s == 0))
        {
            _nodes.Remove(index / SlotsPerNode);
            return _xarray.FreeLeaf(index) > 0;
        }
        return false;
    }

    /// <summary>
    /// __folio_migrate_mapping: the slot at <paramref name="index"/> holds <paramref name="pfn"/> instead of the folio a
    /// migration copied from (xas_store); the count, the xarray node and the readahead mark stay.
    /// </summary>
    public void Replace(long index, long pfn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pfn);
        if (!_nodes.TryGetValue(index / SlotsPerNode, out var node) || node[index % SlotsPerNode] <= 0)
        {
            throw new InvalidOperationException($"page {index} of {Name} is not cached");
        }
        node[index % SlotsPerNode] = pfn + 1;
    }

    /// <summary>PG_readahead on the page at <paramref name="index"/>: reaching it starts the next window.</summary>
    public void MarkReadahead(long index) => _readaheadMarks.Add(index);

    /// <summary>Tests and clears PG_readahead (folio_test_clear_readahead).</summary>
    public bool TestClearReadahead(long index) => _readaheadMarks.Remove(index);
}
