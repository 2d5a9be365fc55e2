namespace NumaSim.Model.Slab;

/// <summary>
/// slab_flags_t for kmem_cache_create (include/linux/slab.h). Values are the classic (pre-6.9) bit values; the
/// kernel now numbers them through an enum, which changes nothing the model prints.
/// </summary>
[Flags]
public enum SlabFlags : uint
{
    None = 0,

    /// <summary>SLAB_CONSISTENCY_CHECKS (slub_debug F): check objects on alloc and free. Without it SLUB fills
    /// red zones and poison but never checks them.</summary>
    ConsistencyChecks = 0x0000_0100,

    /// <summary>SLAB_RED_ZONE (slub_debug Z): red zones left and right of each object.</summary>
    RedZone = 0x0000_0400,

    /// <summary>SLAB_POISON (slub_debug P): free objects hold POISON_FREE (0x6b) ending in POISON_END (0xa5);
    /// padding holds POISON_INUSE (0x5a).</summary>
    Poison = 0x0000_0800,

    /// <summary>SLAB_KMALLOC: set on the kmalloc caches by create_kmalloc_cache (enables the orig_size
    /// "kmalloc Redzone" with SLAB_STORE_USER).</summary>
    Kmalloc = 0x0000_1000,

    /// <summary>SLAB_HWCACHE_ALIGN: align objects to the cache line (calculate_alignment halves the line
    /// while the object fits in half of it).</summary>
    HwcacheAlign = 0x0000_2000,

    /// <summary>SLAB_CACHE_DMA: slab pages come from ZONE_DMA (allocflags |= GFP_DMA).</summary>
    CacheDma = 0x0000_4000,

    /// <summary>SLAB_CACHE_DMA32: slab pages come from ZONE_DMA32.</summary>
    CacheDma32 = 0x0000_8000,

    /// <summary>SLAB_STORE_USER (slub_debug U): two struct track records after each object.</summary>
    StoreUser = 0x0001_0000,

    /// <summary>SLAB_RECLAIM_ACCOUNT: slab pages are __GFP_RECLAIMABLE (the kmalloc-rcl-* caches).</summary>
    Reclaimable = 0x0002_0000,

    /// <summary>SLAB_PANIC: a failed kmem_cache_create panics (the caller does, from the create result).</summary>
    Panic = 0x0004_0000,

    /// <summary>SLAB_TRACE (slub_debug T): accepted; it makes the cache a debug cache but the model prints no
    /// trace lines.</summary>
    Trace = 0x0020_0000,

    /// <summary>SLAB_ACCOUNT: objects are charged to the memory cgroup (the kmalloc-cg-* caches).</summary>
    Account = 0x0400_0000,

    /// <summary>SLAB_NO_REAP from 2.4/early 2.6 (named in the seed text): accepted and ignored, as the kernel
    /// ignored it long before removing it.</summary>
    NoReap = 0x4000_0000,

    /// <summary>SLAB_MUST_HWCACHE_ALIGN from 2.6 before 2.6.22 (named in the seed text): accepted as an alias of
    /// <see cref="HwcacheAlign"/>.</summary>
    MustHwcacheAlign = 0x8000_0000,
}
