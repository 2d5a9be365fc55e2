using System.Numerics;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// What the kernel's build-time choice of slab allocator (CONFIG_SLUB, CONFIG_SLAB, CONFIG_SLOB) decides outside
/// the allocator itself: how kmem_cache_create lays a cache out, the allocator that serves it, and the kmalloc
/// front end's rules (the smallest and largest kmalloc cache, which sizes go straight to the page allocator and
/// with what gfp, what a kmalloc's bytes_alloc is). <see cref="KmallocFamily"/> and
/// <see cref="SlabAllocatorFactory"/> ask the policy of <see cref="SlabAllocatorOptions.Kind"/> instead of
/// branching on the kind.
/// </summary>
public abstract class SlabAllocatorPolicy
{
    public static SlabAllocatorPolicy Slub { get; } = new SlubPolicy();

    public static SlabAllocatorPolicy Slab { get; } = new SlabPolicy();

    public static SlabAllocatorPolicy Slob { get; } = new SlobPolicy();

    public abstract SlabAllocatorKind Kind { get; }

    /// <summary>KMALLOC_SHIFT_LOW: the index of the smallest kmalloc cache.</summary>
    public abstract int KmallocShiftLow { get; }

    public static SlabAllocatorPolicy For(SlabAllocatorKind kind) => kind switch
    {
        SlabAllocatorKind.Slab => Slab,
        SlabAllocatorKind.Slob => Slob,
        _ => Slub,
    };

    /// <summary>KMALLOC_SHIFT_HIGH: PAGE_SHIFT + 1 for SLUB and SLAB.</summary>
    public virtual int KmallocShiftHigh(int pageSize) => BitOperations.Log2((uint)pageSize) + 1;

    /// <summary>Whether kmalloc sends <paramref name="size"/> to the page allocator (above KMALLOC_MAX_CACHE_SIZE).</summary>
    public virtual bool IsLargeKmalloc(long size, int pageSize) => size > 1L << KmallocShiftHigh(pageSize);

    /// <summary>__kmalloc_large_node's gfp for a compound block of <paramref name="order"/>: the slab's bug-mask
    /// bits dropped, __GFP_COMP added.</summary>
    public virtual Gfp LargeKmallocGfp(Gfp gfp, int order) => (gfp & ~(Gfp.Dma32 | Gfp.HighMem)) | Gfp.Comp;

    /// <summary>trace_kmalloc's bytes_alloc for a request of <paramref name="size"/> served by <paramref name="cache"/>:
    /// s->size.</summary>
    public virtual long KmallocBytesAlloc(long size, KmemCache cache) => cache.Size;

    /// <summary>kmem_cache_create(name, size, align, flags, ctor) as this allocator lays caches out.</summary>
    public abstract KmemCacheCreateResult CreateCache(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize,
        SlabAllocatorOptions options, SlubDebugOptions? slubDebug);

    /// <summary>create_kmalloc_cache for one size class; <paramref name="normalCache"/> finds the normal kmalloc
    /// caches created so far by freelist size (SLAB's off-slab freelist check).</summary>
    public abstract KmemCache CreateKmallocCache(
        string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlabAllocatorOptions options,
        SlubDebugOptions? slubDebug, Func<int, KmemCache?> normalCache);

    /// <summary>The kmalloc indices created before the size classes of <paramref name="type"/> (SLAB: the
    /// kmem_cache_node cache first).</summary>
    public virtual IEnumerable<int> BootFirst(KmallocType type) => [];

    /// <summary>The allocator serving <paramref name="cache"/>, laid out by this policy.</summary>
    public abstract ISlabAllocator CreateAllocator(
        KmemCache cache, IPageSource pages, IReadOnlyList<int> cpuToNode, IReadOnlyList<IReadOnlyList<int>>? nodeFallback,
        SlabPageMap? pageMap, KernelTaint? taint, SlabAllocatorOptions options);

    /// <summary>The kmalloc caches' slabinfo rows before any allocation.</summary>
    public virtual IReadOnlyList<SlabCacheSnapshot> EmptyKmallocCaches(int pageSize, int presentCpus, SlabAllocatorOptions options) =>
        KmallocCaches.FromLayouts(pageSize, presentCpus, options);
}
