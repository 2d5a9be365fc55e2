namespace NumaSim.Model.Slab;

/// <summary>What a SLUB debug report is about (the reason string of slab_bug in mm/slub.c).</summary>
public enum SlabDebugKind
{
    /// <summary>"Left Redzone overwritten": a write before the object (underrun).</summary>
    LeftRedzoneOverwritten,

    /// <summary>"Right Redzone overwritten": a write past object_size (overrun).</summary>
    RightRedzoneOverwritten,

    /// <summary>"kmalloc Redzone overwritten": a write between the kmalloc request and the bucket size
    /// (kmalloc caches with SLAB_STORE_USER and SLAB_RED_ZONE).</summary>
    KmallocRedzoneOverwritten,

    /// <summary>"Poison overwritten": a write into a free object (use after free).</summary>
    PoisonOverwritten,

    /// <summary>"End Poison overwritten": the last byte of a free object (POISON_END) changed.</summary>
    EndPoisonOverwritten,

    /// <summary>"Alignment padding overwritten" (SLAB_POISON without red zones).</summary>
    AlignmentPaddingOverwritten,

    /// <summary>"Object padding overwritten": the POISON_INUSE filler after the metadata changed.</summary>
    ObjectPaddingOverwritten,

    /// <summary>"Padding overwritten": the unused tail of the slab changed.</summary>
    SlabPaddingOverwritten,

    /// <summary>"Object already free": double free.</summary>
    DoubleFree,

    /// <summary>"Invalid object pointer": not the start of an object of this slab, or not a slab address.</summary>
    InvalidPointer,

    /// <summary>"Slab has N allocated objects but M are to be freed": a free into a slab with no object in use.</summary>
    FreeCountMismatch,

    /// <summary>"Slab disabled since SLUB metadata consistency check failed": a free into a slab an earlier
    /// failed allocation check marked as fully used.</summary>
    SlabDisabled,

    /// <summary>"Wrong slab cache": kmem_cache_free with another cache's object (the object is freed to its own
    /// cache, as cache_from_obj does).</summary>
    WrongCache,

    /// <summary>"Objects remaining in NAME on __kmem_cache_shutdown()": kmem_cache_destroy with live objects.</summary>
    ObjectsRemaining,
}
