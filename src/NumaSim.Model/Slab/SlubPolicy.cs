using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>CONFIG_SLUB (mm/slub.c): kmalloc-8 up, slub_debug= honoured.</summary>
internal sealed class SlubPolicy : SlabAllocatorPolicy
{
    public override SlabAllocatorKind Kind => SlabAllocatorKind.Slub;

    public override int KmallocShiftLow => KmallocFamily.ShiftLow;

    public override KmemCacheCreateResult CreateCache(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize,
        SlabAllocatorOptions options, SlubDebugOptions? slubDebug) =>
        KmemCache.Create(name, size, align, flags, hasCtor, cpus, nodes, pageSize, slubDebug);

    public override KmemCache CreateKmallocCache(
        string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlabAllocatorOptions options,
        SlubDebugOptions? slubDebug, Func<int, KmemCache?> normalCache) =>
        KmemCache.CreateKmalloc(name, size, flags, cpus, nodes, pageSize, slubDebug);

    public override ISlabAllocator CreateAllocator(
        KmemCache cache, IPageSource pages, IReadOnlyList<int> cpuToNode, IReadOnlyList<IReadOnlyList<int>>? nodeFallback,
        SlabPageMap? pageMap, KernelTaint? taint, SlabAllocatorOptions options) =>
        new SlubAllocator(cache, pages, cpuToNode, nodeFallback, pageMap, taint);

    public override IReadOnlyList<SlabCacheSnapshot> EmptyKmallocCaches(int pageSize, int presentCpus, SlabAllocatorOptions options) =>
        KmallocCaches.Empty(pageSize, presentCpus);
}
