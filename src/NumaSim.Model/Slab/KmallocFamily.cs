using System.Numerics;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// The kmalloc family over the kmalloc caches (mm/slab_common.c, include/linux/slab.h): kmalloc, kmalloc_node,
/// kzalloc, kfree, ksize. Sizes up to 192 map through kmalloc_size_index[(size - 1) / 8], larger ones through
/// fls(size - 1); the gfp picks dma-kmalloc-*, kmalloc-rcl-* or kmalloc-cg-* (kmalloc_type). Requests above
/// KMALLOC_MAX_CACHE_SIZE (2 * PAGE_SIZE) go to the page source as one compound block of get_order(size).
/// </summary>
public sealed class KmallocFamily
{
    /// <summary>KMALLOC_SHIFT_LOW on x86-64 (KMALLOC_MIN_SIZE 8).</summary>
    public const int ShiftLow = 3;

    /// <summary>kmalloc_size_index: the cache index of sizes 1..192 by (size - 1) / 8 (1 is kmalloc-96, 2 is kmalloc-192).</summary>
    private static readonly byte[] SizeIndex = [3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2];

    private readonly IPageSource pages;
    private readonly int[] cpuToNode;
    private readonly SlubAllocator[,] caches;
    private readonly List<SlabDebugReport> reports = [];

    public KmallocFamily(
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        int nodes,
        int pageSize = 4096,
        SlubDebugOptions? debug = null,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(cpuToNode);
        this.pages = pages;
        this.cpuToNode = [.. cpuToNode];
        PageSize = pageSize;
        PageMap = pageMap ?? new SlabPageMap();
        Taint = taint ?? new KernelTaint();
        ShiftHigh = BitOperations.Log2((uint)pageSize) + 1;
        caches = new SlubAllocator[4, ShiftHigh + 1];
        foreach (var type in Enum.GetValues<KmallocType>())
        {
            var flags = type switch
            {
                KmallocType.Reclaim => SlabFlags.Reclaimable,
                KmallocType.Dma => SlabFlags.CacheDma,
                KmallocType.Cgroup => SlabFlags.Account,
                _ => SlabFlags.None,
            };
            // kmalloc-96 and kmalloc-192 (indices 1 and 2), then 8 .. 2 * PAGE_SIZE (ShiftLow .. ShiftHigh).
            for (var index = 1; index <= ShiftHigh; index++)
            {
                var size = IndexSize(index);
                var cache = KmemCache.CreateKmalloc(
                    KmallocCaches.Prefix(type) + KmallocCaches.SizeName(size), size, flags, cpuToNode.Count, nodes, pageSize, debug);
                caches[(int)type, index] = new SlubAllocator(cache, pages, cpuToNode, nodeFallback, PageMap, Taint);
            }
        }
    }

    public int PageSize { get; }

    /// <summary>KMALLOC_SHIFT_HIGH: PAGE_SHIFT + 1.</summary>
    public int ShiftHigh { get; }

    /// <summary>KMALLOC_MAX_CACHE_SIZE: the largest size served by a cache.</summary>
    public long MaxCacheSize => 1L << ShiftHigh;

    /// <summary>KMALLOC_MAX_SIZE: PAGE_SIZE &lt;&lt; MAX_PAGE_ORDER.</summary>
    public long MaxSize => KmemCache.MaxObjectSize(PageSize);

    public SlabPageMap PageMap { get; }

    public KernelTaint Taint { get; }

    /// <summary>Large kmalloc blocks currently allocated, and their pages.</summary>
    public long LargeAllocations { get; private set; }

    public long LargePages { get; private set; }

    /// <summary>Every kmalloc cache, by type then size.</summary>
    public IEnumerable<SlubAllocator> Caches
    {
        get
        {
            foreach (var type in Enum.GetValues<KmallocType>())
            {
                for (var index = 1; index <= ShiftHigh; index++)
                {
                    if (caches[(int)type, index] is { } cache)
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
    public SlubAllocator? CacheFor(long size, Gfp gfp) =>
        size <= 0 || size > MaxCacheSize ? null : caches[(int)TypeOf(gfp), KmallocIndex(size)];

    public SlubAllocator Cache(KmallocType type, int index) => caches[(int)type, index]
        ?? throw new ArgumentOutOfRangeException(nameof(index), index, "No kmalloc cache has this index.");

    public SlubAllocator? Cache(string name) => Caches.FirstOrDefault(c => c.Cache.Name == name);

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
            reports.Add(new SlabDebugReport(SlabDebugKind.InvalidPointer, "kmalloc", address, [$"object pointer: {address}"]));
            return false;
        }
        if (entry.Slab is { } slab)
        {
            return entry.Owner!.FreeInSlab(cpu, slab, address);
        }
        PageMap.Remove(entry.HeadPfn, entry.LargeOrder);
        pages.FreePages(entry.HeadPfn, entry.LargeOrder);
        LargeAllocations--;
        LargePages -= 1L << entry.LargeOrder;
        return true;
    }

    /// <summary>ksize: slab_ksize of the object's cache, PAGE_SIZE &lt;&lt; order for a large block, 0 otherwise.</summary>
    public long Ksize(ObjectAddress address)
    {
        if (address.IsZeroOrNull || !PageMap.TryGet(address, PageSize, out var entry))
        {
            return 0;
        }
        return entry.Owner is { } owner ? owner.Cache.KsizeBytes : (long)PageSize << entry.LargeOrder;
    }

    /// <summary>A scenario's write into a kmalloc object (see <see cref="SlubAllocator.Write"/>).</summary>
    public int Write(ObjectAddress address, int offset, int length, byte value) =>
        PageMap.TryGet(address, PageSize, out var entry) && entry.Owner is { } owner ? owner.Write(address, offset, length, value) : 0;

    public bool TryRead(ObjectAddress address, int offset, Span<byte> destination) =>
        PageMap.TryGet(address, PageSize, out var entry) && entry.Owner is { } owner && owner.TryRead(address, offset, destination);

    /// <summary>Reports of every kmalloc cache and of kfree itself.</summary>
    public IReadOnlyList<SlabDebugReport> DrainReports()
    {
        var all = new List<SlabDebugReport>(reports);
        reports.Clear();
        foreach (var cache in Caches)
        {
            all.AddRange(cache.DrainReports());
        }
        return all;
    }

    /// <summary>The kmalloc caches' slabinfo rows in the order <see cref="KmallocCaches.Empty"/> lists them.</summary>
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
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cpu, (uint)cpuToNode.Length, nameof(cpu));
        var zeroed = (gfp & Gfp.Zero) != 0;
        if (size > MaxCacheSize)
        {
            return AllocLarge(cpu, size, gfp, node, zeroed);
        }
        if (size == 0)
        {
            return new KmallocResult(ObjectAddress.ZeroSizePtr, null, 0, 0, gfp, -1, false, false, -1);
        }
        var cache = caches[(int)TypeOf(gfp), KmallocIndex(size)];
        if (!cache.Allocate(cpu, node, gfp, out var address, (int)size))
        {
            return new KmallocResult(ObjectAddress.Null, cache.Cache.Name, size, cache.Cache.Size, gfp, -1, zeroed, false, -1);
        }
        PageMap.TryGet(address, PageSize, out var entry);
        return new KmallocResult(address, cache.Cache.Name, size, cache.Cache.Size, gfp, entry.Slab!.Node, zeroed, false, entry.Slab.Order);
    }

    /// <summary>__kmalloc_large_node: a compound block of get_order(size) pages (the slab's bug-mask bits dropped).</summary>
    private KmallocResult AllocLarge(int cpu, long size, Gfp gfp, int node, bool zeroed)
    {
        var order = SlubLayout.GetOrder(size, PageSize);
        var bytes = (long)PageSize << order;
        if (order > KmemCache.MaxPageOrder)
        {
            return new KmallocResult(ObjectAddress.Null, null, size, bytes, gfp, -1, zeroed, true, order);
        }
        var flags = (gfp & ~(Gfp.Dma32 | Gfp.HighMem)) | Gfp.Comp;
        var target = node < 0 ? cpuToNode[cpu] : node;
        if (!pages.TryAllocatePages(target, order, flags, out var pfn, out var served))
        {
            return new KmallocResult(ObjectAddress.Null, null, size, bytes, gfp, -1, zeroed, true, order);
        }
        PageMap.AddLarge(pfn, order, served);
        LargeAllocations++;
        LargePages += 1L << order;
        return new KmallocResult(ObjectAddress.FromPfn(pfn, PageSize), null, size, bytes, gfp, served, zeroed, true, order);
    }
}
