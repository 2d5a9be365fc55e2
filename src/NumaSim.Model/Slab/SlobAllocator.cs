using System.Numerics;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// SLOB for one cache (mm/slob.c as of 6.3): a thin front on the kernel's one SLOB heap (SlobHeap), shared with
/// every other SLOB cache and kmalloc on the same <see cref="SlabPageMap"/>. Objects below PAGE_SIZE are first-fit
/// blocks of SLOB_UNITS(size) units from the heap's free lists; larger ones are page blocks of get_order(size).
/// The constructor runs on every allocation. SLOB keeps no per-CPU or per-node state, has nothing to flush or
/// shrink, cannot see leaked objects at kmem_cache_destroy, and has no debugging (red zones, poison, double-free
/// checks): the model refuses bad frees with silent reports where the kernel would corrupt its heap.
/// <para>
/// /proc/slabinfo: SLOB has none (CONFIG_SLABINFO needs SLAB or SLUB). So that runs under the three allocators
/// compare row for row, the model prints one row per SLOB cache anyway: active_objs = num_objs = the objects
/// allocated (SLOB holds no free objects per cache; free space belongs to the heap), objsize the cache size,
/// objperslab how many such blocks fit a page, active_slabs = num_slabs the pages holding at least one of the
/// cache's objects (pages are shared, so rows may count a page more than once), tunables and sharedavail 0.
/// A kmalloc size class is such a cache (see KmemCache.CreateSlobKmalloc): kmalloc's blocks are sized to the
/// request plus the 8-byte header, not to the class, and ksize is SLOB_UNITS(size) * SLOB_UNIT.
/// </para>
/// </summary>
public sealed class SlobAllocator : SlabCommon
{
    private readonly SlobHeap _heap;
    private readonly Dictionary<long, int> _objectsOnPage = [];

    /// <param name="cache">A SLOB layout (<see cref="SlabAllocatorFactory.CreateCache"/> with <see cref="SlabAllocatorKind.Slob"/>).</param>
    /// <param name="pages">Where the heap's pages come from (every SLOB cache on one page map must pass the same).</param>
    /// <param name="cpuToNode">The node of each CPU: NUMA_NO_NODE grows the heap there.</param>
    /// <param name="nodeFallback">Unused: SLOB leaves fallback to the page allocator.</param>
    /// <param name="pageMap">The page map whose SLOB heap the cache uses (kfree); default: a private one.</param>
    /// <param name="taint">Unused by SLOB (it reports nothing); kept for the common constructor shape.</param>
    public SlobAllocator(
        KmemCache cache,
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null)
        : base(cache, SlabAllocatorKind.Slob, pages, cpuToNode, nodeFallback, pageMap, taint)
    {
        _heap = PageMap.Slob(pages, PageSize, Taint);
    }

    /// <summary>Pages of the shared heap, whatever cache uses them.</summary>
    public int HeapPages => _heap.SlobPages;

    /// <summary>Heap pages on the small (&lt; 256), medium (&lt; 1024) and large free lists.</summary>
    public (int Small, int Medium, int Large) HeapFreeLists => _heap.FreeLists;

    /// <summary>A kmalloc size class: blocks carry kmalloc's size header.</summary>
    private bool IsKmalloc => (Cache.Flags & SlabFlags.Kmalloc) != 0;

    /// <summary>
    /// slob_alloc_node (and __do_kmalloc_node for a kmalloc class: <paramref name="requestedSize"/> + 8 bytes from
    /// the heap, aligned to the size when it is a power of two, the object 8 bytes in). Requests a kmalloc class
    /// cannot hold in a page (PAGE_SIZE - 8 and up, which kmalloc sends to the page allocator) fail.
    /// </summary>
    protected override bool AllocateObject(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize)
    {
        var home = NodeOfCpu(cpu);
        bool ok;
        if (IsKmalloc)
        {
            var size = requestedSize > 0 ? requestedSize : Cache.ObjectSize;
            const int minAlign = SlobHeap.KmallocMinAlign;
            if (size >= PageSize - minAlign)
            {
                address = ObjectAddress.Null;
                return false;
            }
            var align = BitOperations.IsPow2(size) ? Math.Max(minAlign, size) : minAlign;
            ok = _heap.TryAlloc(size + minAlign, gfp, align, node, minAlign, home, this, size, kmalloc: true, out var block);
            address = ok ? block.Add(minAlign) : ObjectAddress.Null;
        }
        else if (Cache.Size < PageSize)
        {
            ok = _heap.TryAlloc(Cache.Size, gfp, Cache.Align, node, 0, home, this, Cache.ObjectSize, kmalloc: false, out address);
        }
        else
        {
            ok = _heap.TryAllocPages(this, Cache.Order, gfp, node, home, out address);
        }
        if (!ok)
        {
            return false;
        }
        ActiveObjects++;
        if (Cache.HasCtor)
        {
            CtorCalls++;
        }
        return true;
    }

    /// <summary>kmem_cache_free (kfree for a kmalloc class): SLOB's pages belong to the heap, not to a cache, so
    /// there is no cache_from_obj.</summary>
    protected override bool FreeObject(int cpu, ObjectAddress address)
    {
        if (!PageMap.TryGet(address, PageSize, out var entry) || !ReferenceEquals(entry.Owner, _heap))
        {
            AddSilentReport(SlabDebugKind.InvalidPointer, address);
            return false;
        }
        if (IsKmalloc)
        {
            var freed = _heap.Kfree(entry, address);
            foreach (var report in _heap.DrainReports())
            {
                AddReport(report with { Cache = Cache.Name });
            }
            return freed;
        }
        return _heap.FreeCacheObject(this, entry, address);
    }

    /// <summary>SLOB has no per-CPU state.</summary>
    public override void FlushAll() => ThrowIfDestroyed();

    /// <summary>__kmem_cache_shrink returns 0: empty pages left the heap when they emptied.</summary>
    public override int Shrink()
    {
        ThrowIfDestroyed();
        return 0;
    }

    /// <summary>The slabinfo row SLOB does not have (see the class remarks).</summary>
    public override SlabCacheSnapshot Snapshot()
    {
        var slabs = PagesInUse >> Cache.Order;
        return new SlabCacheSnapshot(
            Cache.Name, ActiveObjects, ActiveObjects, Cache.Size, Cache.ObjectsPerSlab, Cache.PagesPerSlab, slabs, slabs, false);
    }

    /// <summary>
    /// kmem_cache_destroy: SLOB's __kmem_cache_shutdown has "no way to check for remaining objects", so nothing is
    /// reported or warned about; live objects stay in the heap (kfree can still free kmalloc blocks).
    /// </summary>
    public override SlabDestroyResult Destroy()
    {
        ThrowIfDestroyed();
        MarkDestroyed();
        return new SlabDestroyResult(Cache.Name, ActiveObjects, 0, 0, 0, []);
    }

    public override string ToString() => $"SLOB {Cache.Name}: {ActiveObjects} active on {PagesInUse} pages";

    /// <summary>The heap handed out an object on <paramref name="pfn"/> (<paramref name="pages"/>: 1 for a heap page,
    /// the block's pages for a big object).</summary>
    internal void OnAllocated(long pfn, long pages)
    {
        if (pages > 1 || !_objectsOnPage.TryGetValue(pfn, out var count))
        {
            count = 0;
            PagesInUse += pages;
        }
        _objectsOnPage[pfn] = count + 1;
    }

    internal void OnFreed(long pfn, long pages)
    {
        ActiveObjects--;
        var count = _objectsOnPage[pfn] - 1;
        if (count == 0)
        {
            _objectsOnPage.Remove(pfn);
            PagesInUse -= pages;
        }
        else
        {
            _objectsOnPage[pfn] = count;
        }
    }

    internal void AddSilentReport(SlabDebugKind kind, ObjectAddress address) => AddReport(kind, address, [], silent: true);
}
