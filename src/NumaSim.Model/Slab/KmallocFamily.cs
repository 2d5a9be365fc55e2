using System.Numerics;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// The kmalloc family over the kmalloc caches (mm/slab_common.c, include/linux/slab.h): kmalloc, kmalloc_node,
/// kzalloc, kfree, ksize. Sizes up to 192 map through kmalloc_size_index[(size - 1) / 8], larger ones through
/// fls(size - 1); the gfp picks dma-kmalloc-*, kmalloc-rcl-* or kmalloc-cg-* (kmalloc_type). Requests above
/// KMALLOC_MAX_CACHE_SIZE (2 * PAGE_SIZE) go to the page source as one compound block of get_order(size).
/// The caches are SLUB's unless <see cref="SlabAllocatorOptions.Kind"/> says otherwise: under SLAB they start at
/// kmalloc-32 (KMALLOC_SHIFT_LOW 5, so sizes up to 32 share it) and are SLAB_HWCACHE_ALIGN (ARCH_KMALLOC_FLAGS:
/// kmalloc-96 takes 128-byte slots); under SLOB there are no kmalloc caches in the kernel: kmalloc takes size + 8
/// bytes from the SLOB heap (ksize: the size rounded to SLOB_UNIT) and sends PAGE_SIZE - 8 and up to the page
/// allocator; the model keeps one SLOB accounting cache per size class so slabinfo rows line up
/// (see <see cref="SlobAllocator"/>).
/// </summary>
public sealed class KmallocFamily
{
    /// <summary>KMALLOC_SHIFT_LOW on x86-64 under SLUB (KMALLOC_MIN_SIZE 8); see <see cref="KmallocShiftLow"/>.</summary>
    public const int ShiftLow = 3;

    /// <summary>kmalloc_size_index: the cache index of sizes 1..192 by (size - 1) / 8 (1 is kmalloc-96, 2 is kmalloc-192).</summary>
    private static readonly byte[] SizeIndex = [3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2];

    private readonly IPageSource _pages;
    private readonly int[] _cpuToNode;
    private readonly ISlabAllocator?[,] _caches;
    private readonly SlabAllocatorPolicy _policy;
    private readonly List<SlabDebugReport> _reports = [];

    /// <param name="pages">Where slab pages and large kmalloc blocks come from.</param>
    /// <param name="cpuToNode">The node of each CPU.</param>
    /// <param name="nodes">The node count.</param>
    /// <param name="pageSize">PAGE_SIZE.</param>
    /// <param name="debug">slub_debug= (SLUB only).</param>
    /// <param name="nodeFallback">Per node, the nodes in zonelist order.</param>
    /// <param name="pageMap">The virt_to_slab map shared with other caches.</param>
    /// <param name="taint">The kernel's taint state.</param>
    /// <param name="allocator">slab.allocator and its options; default SLUB.</param>
    public KmallocFamily(
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        int nodes,
        int pageSize = 4096,
        SlubDebugOptions? debug = null,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null,
        SlabAllocatorOptions? allocator = null)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(cpuToNode);
        allocator ??= SlabAllocatorOptions.Default;
        _pages = pages;
        _cpuToNode = [.. cpuToNode];
        PageSize = pageSize;
        PageMap = pageMap ?? new SlabPageMap();
        Taint = taint ?? new KernelTaint();
        _policy = allocator.Policy;
        Allocator = allocator.Kind;
        KmallocShiftLow = _policy.KmallocShiftLow;
        ShiftHigh = _policy.KmallocShiftHigh(pageSize);
        var layouts = BootLayouts(pageSize, cpuToNode.Count, nodes, debug, allocator);
        _caches = new ISlabAllocator?[layouts.GetLength(0), layouts.GetLength(1)];
        for (var type = 0; type < layouts.GetLength(0); type++)
        {
            for (var index = 0; index < layouts.GetLength(1); index++)
            {
                if (layouts[type, index] is { } cache)
                {
                    _caches[type, index] = _policy.CreateAllocator(cache, pages, cpuToNode, nodeFallback, PageMap, Taint, allocator);
                }
            }
        }
    }

    /// <summary>Which allocator serves kmalloc.</summary>
    public SlabAllocatorKind Allocator { get; }

    /// <summary>KMALLOC_SHIFT_LOW of the allocator: 3 (kmalloc-8) under SLUB and SLOB, 5 (kmalloc-32) under SLAB.</summary>
    public int KmallocShiftLow { get; }

    public int PageSize { get; }

    /// <summary>KMALLOC_SHIFT_HIGH: PAGE_SHIFT + 1 (SLOB: PAGE_SHIFT).</summary>
    public int ShiftHigh { get; }

    /// <summary>KMALLOC_MAX_CACHE_SIZE: the largest size served by a cache (SLOB sends PAGE_SIZE - 8 and up to
    /// the page allocator).</summary>
    public long MaxCacheSize => 1L << ShiftHigh;

    /// <summary>KMALLOC_MAX_SIZE: PAGE_SIZE &lt;&lt; MAX_PAGE_ORDER.</summary>
    public long MaxSize => KmemCache.MaxObjectSize(PageSize);

    public SlabPageMap PageMap { get; }

    public KernelTaint Taint { get; }

    /// <summary>Large kmalloc blocks currently allocated, and their pages.</summary>
    public long LargeAllocations { get; private set; }

    public long LargePages { get; private set; }

    /// <summary>Every kmalloc cache, by type then size.</summary>
    public IEnumerable<ISlabAllocator> Caches
    {
        get
        {
            foreach (var type in Enum.GetValues<KmallocType>())
            {
                for (var index = 1; index <= ShiftHigh; index++)
                {
                    if (_caches[(int)type, index] is { } cache)
                    {
                        yield return cache;
                    }
                }
            }
        }
    }

    /// <summary>kmalloc_slab's index for 1 &lt;= size &lt;= KMALLOC_MAX_CACHE_SIZE (0 for size 0).</summary>
    public static int KmallocIndex(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0)
        {
            return 0;
        }
        return size <= 192 ? SizeIndex[(size - 1) / 8] : 64 - BitOperations.LeadingZeroCount((ulong)(size - 1));
    }

    /// <summary>kmalloc_info[index].size: 96 and 192 at 1 and 2, else 2^index.</summary>
    public static int IndexSize(int index) => index switch
    {
        1 => 96,
        2 => 192,
        _ => 1 << index,
    };

    /// <summary>kmalloc_type: __GFP_DMA, then __GFP_RECLAIMABLE, then __GFP_ACCOUNT.</summary>
    public static KmallocType TypeOf(Gfp gfp) =>
        (gfp & Gfp.Dma) != 0 ? KmallocType.Dma
        : (gfp & Gfp.Reclaimable) != 0 ? KmallocType.Reclaim
        : (gfp & Gfp.Account) != 0 ? KmallocType.Cgroup
        : KmallocType.Normal;

    /// <summary>The cache a request of this size and gfp uses, or null for 0 and large requests.</summary>
    public ISlabAllocator? CacheFor(long size, Gfp gfp) =>
        size <= 0 || IsLarge(size) ? null : _caches[(int)TypeOf(gfp), IndexFor(size)];

    public ISlabAllocator Cache(KmallocType type, int index) =>
        (uint)index < (uint)_caches.GetLength(1) && _caches[(int)type, index] is { } cache
            ? cache
            : throw new ArgumentOutOfRangeException(nameof(index), index, "No kmalloc cache has this index.");

    public ISlabAllocator? Cache(string name) => Caches.FirstOrDefault(c => c.Cache.Name == name);

    /// <summary>kmalloc_slab's index under this allocator (SLAB maps sizes up to 32 to kmalloc-32).</summary>
    public int IndexFor(long size)
    {
        var index = KmallocIndex(size);
        return index >= ShiftLow && index < KmallocShiftLow ? KmallocShiftLow : index;
    }

    /// <summary>kmalloc(size, gfp) on <paramref name="cpu"/>; <paramref name="node"/> -1 is NUMA_NO_NODE.</summary>
    public KmallocResult Kmalloc(int cpu, long size, Gfp gfp, int node = -1) => Alloc(cpu, size, gfp, node);

    /// <summary>kmalloc_node(size, gfp, node).</summary>
    public KmallocResult KmallocNode(int cpu, long size, Gfp gfp, int node) => Alloc(cpu, size, gfp, node);

    /// <summary>kzalloc: kmalloc with __GFP_ZERO.</summary>
    public KmallocResult Kzalloc(int cpu, long size, Gfp gfp, int node = -1) => Alloc(cpu, size, gfp | Gfp.Zero, node);

    /// <summary>kzalloc_node.</summary>
    public KmallocResult KzallocNode(int cpu, long size, Gfp gfp, int node) => Alloc(cpu, size, gfp | Gfp.Zero, node);

    /// <summary>kfree: NULL and ZERO_SIZE_PTR are no-ops; any slab object (of any cache on this page map) or large
    /// kmalloc block is freed. False when nothing was freed (see <see cref="DrainReports"/>).</summary>
    public bool Kfree(int cpu, ObjectAddress address)
    {
        if (address.IsZeroOrNull)
        {
            return true;
        }
        if (!PageMap.TryGet(address, PageSize, out var entry))
        {
            // free_large_kmalloc on a page that is neither a slab nor a large kmalloc block.
            _reports.Add(new SlabDebugReport(SlabDebugKind.InvalidPointer, "kmalloc", address, [$"object pointer: {address}"]));
            return false;
        }
        if (entry.Owner is { } owner)
        {
            var freed = owner.FreeFromPage(cpu, entry, address, kfree: true);
            if (PageMap.SlobHeapIfAny is { } heap)
            {
                _reports.AddRange(heap.DrainReports());
            }
            return freed;
        }
        PageMap.Remove(entry.HeadPfn, entry.LargeOrder);
        _pages.FreePages(entry.HeadPfn, entry.LargeOrder);
        LargeAllocations--;
        LargePages -= 1L << entry.LargeOrder;
        return true;
    }

    /// <summary>ksize: slab_ksize of the object's cache (SLOB: the request rounded to SLOB_UNIT), PAGE_SIZE &lt;&lt;
    /// order for a large block, 0 otherwise.</summary>
    public long Ksize(ObjectAddress address)
    {
        if (address.IsZeroOrNull || !PageMap.TryGet(address, PageSize, out var entry))
        {
            return 0;
        }
        return entry.Owner is { } owner ? owner.Ksize(entry, address) : (long)PageSize << entry.LargeOrder;
    }

    /// <summary>A scenario's write into a kmalloc object (see <see cref="ISlabAllocator.Write"/>).</summary>
    public int Write(ObjectAddress address, int offset, int length, byte value) =>
        PageMap.TryGet(address, PageSize, out var entry) && entry.Owner is { } owner ? owner.Write(address, offset, length, value) : 0;

    public bool TryRead(ObjectAddress address, int offset, Span<byte> destination) =>
        PageMap.TryGet(address, PageSize, out var entry) && entry.Owner is { } owner && owner.TryRead(address, offset, destination);

    /// <summary>Reports of every kmalloc cache and of kfree itself.</summary>
    public IReadOnlyList<SlabDebugReport> DrainReports()
    {
        if (PageMap.SlobHeapIfAny is { } heap)
        {
            _reports.AddRange(heap.DrainReports());
        }
        var all = new List<SlabDebugReport>(_reports);
        _reports.Clear();
        foreach (var cache in Caches)
        {
            all.AddRange(cache.DrainReports());
        }
        return all;
    }

    /// <summary>The kmalloc caches' slabinfo rows in the order <see cref="KmallocCaches.Empty(int, int, SlabAllocatorOptions)"/> lists them.</summary>
    public IReadOnlyList<SlabCacheSnapshot> Snapshot()
    {
        var rows = new List<SlabCacheSnapshot>();
        foreach (var prefix in KmallocCaches.SlabinfoPrefixes)
        {
            foreach (var size in KmallocCaches.SlabinfoSizes)
            {
                if (size <= MaxCacheSize && Cache(prefix + KmallocCaches.SizeName(size)) is { } cache)
                {
                    rows.Add(cache.Snapshot());
                }
            }
        }
        return rows;
    }

    private KmallocResult Alloc(int cpu, long size, Gfp gfp, int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cpu, (uint)_cpuToNode.Length, nameof(cpu));
        var zeroed = (gfp & Gfp.Zero) != 0;
        if (IsLarge(size))
        {
            return AllocLarge(cpu, size, gfp, node, zeroed);
        }
        if (size == 0)
        {
            return new KmallocResult(ObjectAddress.ZeroSizePtr, null, 0, 0, gfp, -1, false, false, -1);
        }
        var cache = _caches[(int)TypeOf(gfp), IndexFor(size)]!;
        var bytesAlloc = _policy.KmallocBytesAlloc(size, cache.Cache);
        if (!cache.Allocate(cpu, node, gfp, out var address, (int)size))
        {
            return new KmallocResult(ObjectAddress.Null, cache.Cache.Name, size, bytesAlloc, gfp, -1, zeroed, false, -1);
        }
        PageMap.TryGet(address, PageSize, out var entry);
        return new KmallocResult(address, cache.Cache.Name, size, bytesAlloc, gfp, entry.Node, zeroed, false, entry.Order);
    }

    /// <summary>Whether kmalloc sends the size to the page allocator.</summary>
    private bool IsLarge(long size) => _policy.IsLargeKmalloc(size, PageSize);

    /// <summary>__kmalloc_large_node: a compound block of get_order(size) pages, with the gfp the policy gives it.</summary>
    private KmallocResult AllocLarge(int cpu, long size, Gfp gfp, int node, bool zeroed)
    {
        var order = SlubLayout.GetOrder(size, PageSize);
        if (size > MaxSize)
        {
            // Beyond KMALLOC_MAX_SIZE the page allocator refuses the order; PAGE_SIZE << order may not fit a long.
            return new KmallocResult(ObjectAddress.Null, null, size, LargeBytes(order), gfp, -1, zeroed, true, order);
        }
        var bytes = (long)PageSize << order;
        if (order > KmemCache.MaxPageOrder)
        {
            return new KmallocResult(ObjectAddress.Null, null, size, bytes, gfp, -1, zeroed, true, order);
        }
        var flags = _policy.LargeKmallocGfp(gfp, order);
        var target = node < 0 ? _cpuToNode[cpu] : node;
        if (!_pages.TryAllocatePages(target, order, flags, out var pfn, out var served))
        {
            return new KmallocResult(ObjectAddress.Null, null, size, bytes, gfp, -1, zeroed, true, order);
        }
        PageMap.AddLarge(pfn, order, served);
        LargeAllocations++;
        LargePages += 1L << order;
        return new KmallocResult(ObjectAddress.FromPfn(pfn, PageSize), null, size, bytes, gfp, served, zeroed, true, order);
    }

    /// <summary>bytes_alloc of a large request, PAGE_SIZE &lt;&lt; order, saturated at long.MaxValue where the
    /// kernel's unsigned long would still hold it.</summary>
    public long LargeBytes(int order) =>
        order < 63 - BitOperations.Log2((uint)PageSize) ? (long)PageSize << order : long.MaxValue;

    /// <summary>kmalloc_slab's index under SLAB once setup_kmalloc_cache_index_table ran: sizes up to 32 map to
    /// kmalloc-32.</summary>
    internal static int SlabKmallocIndex(long size)
    {
        var index = KmallocIndex(size);
        return index is >= ShiftLow and < SlabLayout.KmallocShiftLow ? SlabLayout.KmallocShiftLow : index;
    }

    /// <summary>The normal kmalloc caches of SLAB as they stand after boot, by index (the off-slab freelist check
    /// of a later kmem_cache_create looks them up).</summary>
    internal static Dictionary<int, KmemCache> SlabBootCaches(int pageSize, SlabAllocatorOptions options)
    {
        var layouts = BootLayouts(pageSize, 1, 1, null, options);
        var normal = new Dictionary<int, KmemCache>();
        for (var index = 0; index < layouts.GetLength(1); index++)
        {
            if (layouts[(int)KmallocType.Normal, index] is { } cache)
            {
                normal.Add(index, cache);
            }
        }
        return normal;
    }

    /// <summary>
    /// create_kmalloc_caches (and, under SLAB, kmem_cache_init's kmalloc-128 first): every type, in the kernel's
    /// order (kmalloc-96 right after kmalloc-64, kmalloc-192 right after kmalloc-128). Order matters only to SLAB,
    /// whose off-slab freelist check looks at the normal caches created so far.
    /// </summary>
    internal static KmemCache?[,] BootLayouts(int pageSize, int cpus, int nodes, SlubDebugOptions? debug, SlabAllocatorOptions options)
    {
        var policy = options.Policy;
        var shiftLow = policy.KmallocShiftLow;
        var shiftHigh = policy.KmallocShiftHigh(pageSize);
        var layouts = new KmemCache?[4, shiftHigh + 1];
        KmemCache? NormalSlab(int freelistSize) => layouts[(int)KmallocType.Normal, SlabKmallocIndex(freelistSize)];

        foreach (var type in Enum.GetValues<KmallocType>())
        {
            var flags = type switch
            {
                KmallocType.Reclaim => SlabFlags.Reclaimable,
                KmallocType.Dma => SlabFlags.CacheDma,
                KmallocType.Cgroup => SlabFlags.Account,
                _ => SlabFlags.None,
            };
            var order = new List<int>(policy.BootFirst(type));
            for (var i = shiftLow; i <= shiftHigh; i++)
            {
                order.Add(i);
                if (i == 6 && shiftLow <= 5)
                {
                    order.Add(1); // KMALLOC_MIN_SIZE <= 32: kmalloc-96
                }
                if (i == 7 && shiftLow <= 6)
                {
                    order.Add(2); // KMALLOC_MIN_SIZE <= 64: kmalloc-192
                }
            }
            foreach (var index in order)
            {
                if (index >= layouts.GetLength(1) || layouts[(int)type, index] is not null)
                {
                    continue;
                }
                var size = IndexSize(index);
                var name = KmallocCaches.Prefix(type) + KmallocCaches.SizeName(size);
                layouts[(int)type, index] = policy.CreateKmallocCache(name, size, flags, cpus, nodes, pageSize, options, debug, NormalSlab);
            }
        }
        return layouts;
    }
}
