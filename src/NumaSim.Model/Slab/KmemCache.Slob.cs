using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>SLOB's kmem_cache_create (mm/slob.c as of 6.3): a name, a size and an alignment, nothing more.</summary>
public sealed partial class KmemCache
{
    /// <summary>The flags SLOB's CACHE_CREATE_MASK keeps (SLAB_CORE_FLAGS): no debugging, no reclaim or cgroup
    /// accounting. SLOB also ignores SLAB_CACHE_DMA when it allocates: the caller's gfp picks the page.</summary>
    private const SlabFlags SlobFlags = SlabFlags.HwcacheAlign | SlabFlags.CacheDma | SlabFlags.CacheDma32 | SlabFlags.Panic | SlabFlags.Kmalloc;

    /// <summary>kmem_cache_create under SLOB.</summary>
    internal static KmemCacheCreateResult CreateSlob(string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckMachine(cpus, nodes, pageSize);
        flags = NormalizeFlags(flags) & SlobFlags;
        if (!IsValidRequest(size, align, pageSize))
        {
            return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.Einval);
        }
        return KmemCacheCreateResult.Ok(OpenSlob(name, size, CalculateAlignment(flags, align, size), flags, hasCtor, cpus, nodes, pageSize));
    }

    /// <summary>
    /// A kmalloc size class under SLOB. SLOB has no kmalloc caches: kmalloc carves size + ARCH_KMALLOC_MINALIGN
    /// bytes straight from the SLOB lists. The model keeps one accounting cache per class so that kmalloc's objects
    /// show in slabinfo rows named as under SLUB and SLAB (see <see cref="SlobAllocator"/>).
    /// </summary>
    internal static KmemCache CreateSlobKmalloc(string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize) =>
        OpenSlob(name, size, WordSize, (flags | SlabFlags.Kmalloc) & SlobFlags, false, cpus, nodes, pageSize);

    /// <summary>
    /// c->size is the object size (no SLAB_TYPESAFE_BY_RCU footer in the model). Objects below PAGE_SIZE are blocks
    /// of SLOB_UNITS(size) units in shared pages (objperslab: how many fit one page); larger ones are page blocks
    /// of get_order(size).
    /// </summary>
    private static KmemCache OpenSlob(string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize)
    {
        var block = (flags & SlabFlags.Kmalloc) != 0 ? size + SlobHeap.KmallocMinAlign : size;
        var small = size < pageSize;
        var order = small ? 0 : SlubLayout.GetOrder(size, pageSize);
        var objects = small ? pageSize / (SlobHeap.Units(block, pageSize) * SlobHeap.UnitSize(pageSize)) : 1;
        var layout = new VariantLayout(
            SlabAllocatorKind.Slob, size, order, Math.Max(objects, 1), 0, SlabManagement.None, 0, 0, 0, default, Gfp.None, false);
        return new KmemCache(name, size, align, flags, hasCtor, cpus, nodes, pageSize, layout);
    }
}
