namespace NumaSim.Model.Slab;

/// <summary>Where SLAB keeps a slab's freelist index array (__kmem_cache_create tries them in this order).</summary>
public enum SlabManagement
{
    /// <summary>Not SLAB (SLUB chains free objects through themselves; SLOB keeps free blocks per page).</summary>
    None = 0,

    /// <summary>CFLGS_OBJFREELIST_SLAB: the array lives in a free object (no ctor, and num indices fit in one object).</summary>
    ObjFreelist,

    /// <summary>CFLGS_OFF_SLAB: the array is kmalloc'd beside the slab (worth it when the leftover cannot hold it).</summary>
    OffSlab,

    /// <summary>On-slab: the array takes the last num * sizeof(freelist_idx_t) bytes of the slab.</summary>
    OnSlab,
}
