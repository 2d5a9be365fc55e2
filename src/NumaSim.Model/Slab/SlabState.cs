namespace NumaSim.Model.Slab;

/// <summary>Where a slab is (the list SLUB or SLAB keeps it on, or none).</summary>
internal enum SlabState : byte
{
    /// <summary>Frozen: some CPU's kmem_cache_cpu->slab.</summary>
    CpuActive,

    /// <summary>On a CPU's partial list (kmem_cache_cpu->partial).</summary>
    CpuPartial,

    /// <summary>On its node's partial list (kmem_cache_node->partial).</summary>
    NodePartial,

    /// <summary>No free object; the model keeps it on the node's full list (SLUB only does with SLAB_STORE_USER).</summary>
    Full,

    /// <summary>(SLAB) On its node's slabs_free list: no object taken.</summary>
    NodeFree,

    /// <summary>Marked fully used after a failed allocation consistency check (slab->frozen on a debug cache).</summary>
    Disabled,

    /// <summary>Returned to the page source.</summary>
    Discarded,
}
