namespace NumaSim.Model.Slab;

/// <summary>
/// Creates caches and their allocators for the chosen <see cref="SlabAllocatorKind"/>: kmem_cache_create as SLUB,
/// SLAB or SLOB lays the cache out, and the allocator that serves it. Code that only uses <see cref="ISlabAllocator"/>
/// runs unchanged on all three.
/// </summary>
public static class SlabAllocatorFactory
{
    /// <summary>
    /// kmem_cache_create(name, size, align, flags, ctor) under <paramref name="allocator"/>'s kind.
    /// <paramref name="cpus"/> is the CPU count (SLUB's calculate_order, SLAB's num_possible_cpus for the shared
    /// array); <paramref name="slubDebug"/> is slub_debug= and only SLUB reads it.
    /// </summary>
    public static KmemCacheCreateResult CreateCache(
        SlabAllocatorOptions allocator,
        string name,
        int size,
        int align,
        SlabFlags flags,
        bool hasCtor,
        int cpus,
        int nodes,
        int pageSize,
        SlubDebugOptions? slubDebug = null)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        return allocator.Policy.CreateCache(name, size, align, flags, hasCtor, cpus, nodes, pageSize, allocator, slubDebug);
    }

    /// <summary>
    /// The allocator for <paramref name="cache"/>, of the kind that laid it out (<see cref="KmemCache.Allocator"/>).
    /// <paramref name="allocator"/> supplies SLAB's runtime options (alien caches); caches that share
    /// <paramref name="pageMap"/> can kfree each other's objects and, under SLOB, share one heap.
    /// </summary>
    public static ISlabAllocator Create(
        KmemCache cache,
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null,
        SlabAllocatorOptions? allocator = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return SlabAllocatorPolicy.For(cache.Allocator)
            .CreateAllocator(cache, pages, cpuToNode, nodeFallback, pageMap, taint, allocator ?? SlabAllocatorOptions.Default);
    }
}
