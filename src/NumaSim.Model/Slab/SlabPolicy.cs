using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>CONFIG_SLAB (mm/slab.c as of 6.4): kmalloc-32 up (KMALLOC_SHIFT_LOW 5), kmalloc-128 created first for
/// struct kmem_cache_node, CONFIG_DEBUG_SLAB, slab_max_order= and alien caches from the options.</summary>
internal sealed class SlabPolicy : SlabAllocatorPolicy
{
    /// <summary>kmalloc_index(sizeof(struct kmem_cache_node)) under SLAB: the 120-byte node struct lives in
    /// kmalloc-128, which kmem_cache_init creates before every other kmalloc cache.</summary>
    private const int IndexNode = 7;

    public override SlabAllocatorKind Kind => SlabAllocatorKind.Slab;

    public override int KmallocShiftLow => SlabLayout.KmallocShiftLow;

    public override KmemCacheCreateResult CreateCache(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize,
        SlabAllocatorOptions options, SlubDebugOptions? slubDebug) =>
        KmemCache.CreateSlab(name, size, align, flags, hasCtor, cpus, nodes, pageSize, options);

    public override KmemCache CreateKmallocCache(
        string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlabAllocatorOptions options,
        SlubDebugOptions? slubDebug, Func<int, KmemCache?> normalCache) =>
        KmemCache.CreateSlabKmalloc(name, size, flags, cpus, nodes, pageSize, options, normalCache);

    public override IEnumerable<int> BootFirst(KmallocType type) => type == KmallocType.Normal ? [IndexNode] : [];

    public override ISlabAllocator CreateAllocator(
        KmemCache cache, IPageSource pages, IReadOnlyList<int> cpuToNode, IReadOnlyList<IReadOnlyList<int>>? nodeFallback,
        SlabPageMap? pageMap, KernelTaint? taint, SlabAllocatorOptions options) =>
        new SlabAllocator(cache, pages, cpuToNode, nodeFallback, pageMap, taint, options.AlienCaches);
}
