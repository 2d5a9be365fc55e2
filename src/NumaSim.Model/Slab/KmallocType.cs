namespace NumaSim.Model.Slab;

/// <summary>enum kmalloc_cache_type (without CONFIG_RANDOM_KMALLOC_CACHES), in the kernel's order.</summary>
public enum KmallocType
{
    /// <summary>KMALLOC_NORMAL: kmalloc-*.</summary>
    Normal = 0,

    /// <summary>KMALLOC_RECLAIM: kmalloc-rcl-* (__GFP_RECLAIMABLE, SLAB_RECLAIM_ACCOUNT).</summary>
    Reclaim = 1,

    /// <summary>KMALLOC_DMA: dma-kmalloc-* (__GFP_DMA, SLAB_CACHE_DMA).</summary>
    Dma = 2,

    /// <summary>KMALLOC_CGROUP: kmalloc-cg-* (__GFP_ACCOUNT, SLAB_ACCOUNT).</summary>
    Cgroup = 3,
}
