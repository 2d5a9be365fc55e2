namespace NumaSim.Model.Slab;

/// <summary>
/// slab.allocator: which of the kernel's three slab allocators backs kmem_cache_* and kmalloc. SLUB is today's
/// (mm/slub.c); SLAB (mm/slab.c, deprecated in 6.5, removed in 6.8) and SLOB (mm/slob.c, removed in 6.4) are modelled
/// as their last versions (6.4 and 6.3).
/// </summary>
public enum SlabAllocatorKind
{
    /// <summary>SLUB: per-CPU slabs and partial lists (<see cref="SlubAllocator"/>).</summary>
    Slub = 0,

    /// <summary>SLAB: per-CPU array caches, shared and alien arrays, full/partial/free slab lists (<see cref="SlabAllocator"/>).</summary>
    Slab = 1,

    /// <summary>SLOB: one first-fit heap of pages on three free lists shared by every cache (<see cref="SlobAllocator"/>).</summary>
    Slob = 2,
}
