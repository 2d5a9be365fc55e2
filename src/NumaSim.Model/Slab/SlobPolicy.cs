using System.Numerics;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>CONFIG_SLOB (mm/slob.c as of 6.3): no kmalloc caches in the kernel; kmalloc takes size + 8 bytes from
/// the SLOB heap up to PAGE_SIZE - 8 and sends the rest to the page allocator with the caller's gfp (the model's
/// accounting caches per size class are described at <see cref="SlobAllocator"/>).</summary>
internal sealed class SlobPolicy : SlabAllocatorPolicy
{
    public override SlabAllocatorKind Kind => SlabAllocatorKind.Slob;

    public override int KmallocShiftLow => KmallocFamily.ShiftLow;

    /// <summary>KMALLOC_SHIFT_HIGH under SLOB: PAGE_SHIFT.</summary>
    public override int KmallocShiftHigh(int pageSize) => BitOperations.Log2((uint)pageSize);

    public override bool IsLargeKmalloc(long size, int pageSize) => size >= pageSize - SlobHeap.KmallocMinAlign;

    /// <summary>SLOB's __do_kmalloc_node passes the gfp as it is and adds __GFP_COMP only above order 0.</summary>
    public override Gfp LargeKmallocGfp(Gfp gfp, int order) => order > 0 ? gfp | Gfp.Comp : gfp;

    /// <summary>The request plus its header (trace_kmalloc_node in __do_kmalloc_node).</summary>
    public override long KmallocBytesAlloc(long size, KmemCache cache) => size + SlobHeap.KmallocMinAlign;

    public override KmemCacheCreateResult CreateCache(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize,
        SlabAllocatorOptions options, SlubDebugOptions? slubDebug) =>
        KmemCache.CreateSlob(name, size, align, flags, hasCtor, cpus, nodes, pageSize);

    public override KmemCache CreateKmallocCache(
        string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlabAllocatorOptions options,
        SlubDebugOptions? slubDebug, Func<int, KmemCache?> normalCache) =>
        KmemCache.CreateSlobKmalloc(name, size, flags, cpus, nodes, pageSize);

    public override ISlabAllocator CreateAllocator(
        KmemCache cache, IPageSource pages, IReadOnlyList<int> cpuToNode, IReadOnlyList<IReadOnlyList<int>>? nodeFallback,
        SlabPageMap? pageMap, KernelTaint? taint, SlabAllocatorOptions options) =>
        new SlobAllocator(cache, pages, cpuToNode, nodeFallback, pageMap, taint);
}
