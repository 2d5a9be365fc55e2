namespace NumaSim.Model.Slab;

/// <summary>
/// SLAB's struct kmem_cache_node: one node's slabs on three lists, the count of free objects in them
/// (free_objects: objects in array caches are not free here), the limit above which free slabs go back to the page
/// allocator, the shared array and the alien arrays.
/// </summary>
internal sealed class KmemCacheNode
{
    public SlabList Partial { get; } = new();

    public SlabList Full { get; } = new();

    public SlabList Free { get; } = new();

    public long TotalSlabs { get; set; }

    public long FreeSlabs { get; set; }

    public long FreeObjects { get; set; }

    /// <summary>free_limit: (1 + nr_cpus_node) * batchcount + num.</summary>
    public long FreeLimit { get; set; }

    public ArrayCache? Shared { get; set; }

    /// <summary>alien[n]: objects of node n freed by this node's CPUs (null without alien caches).</summary>
    public ArrayCache?[]? Alien { get; set; }

    /// <summary>colour_next: the colour the next slab of this node gets.</summary>
    public int ColourNext { get; set; }

    /// <summary>free_touched: a free slab was used since the last reap.</summary>
    public bool FreeTouched { get; set; }
}
