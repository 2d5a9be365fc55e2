using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// SLUB for one cache (mm/slub.c), all CPUs and nodes in one object (the actor layer splits it later):
/// per-CPU active slab with its lockless freelist and a per-CPU partial list, per-node partial and full lists.
/// Allocation: CPU freelist, the CPU slab's remotely freed objects, the CPU partial list, the node partial list
/// (the requested node, or the CPU's; other nodes only without __GFP_THISNODE), then a new slab from the
/// <see cref="IPageSource"/>. Debug caches (any SLAB_DEBUG_FLAGS) take SLUB's debug paths: no CPU slabs, one
/// object at a time from the node lists, with the checks of alloc/free_debug_processing on real bytes.
/// </summary>
public sealed partial class SlubAllocator : SlabCommon, ISlabPageOwner
{
    private const byte PoisonInuse = 0x5a;
    private const byte PoisonFree = 0x6b;
    private const byte PoisonEnd = 0xa5;
    private const byte RedInactive = 0xbb;
    private const byte RedActive = 0xcc;

    // struct kmem_cache_cpu, made on a CPU's first use: a front-end that serves one CPU builds one.
    private readonly KmemCacheCpu?[] _cpus;
    private readonly SlabList[] _nodePartial;
    private readonly SlabList[] _nodeFull;
    private readonly long[] _nodeSlabs;
    private readonly long[] _nodeObjects;
    private readonly List<Slab> _scratch = [];

    /// <param name="cache">The cache layout (KmemCache.Create).</param>
    /// <param name="pages">Where slab pages come from.</param>
    /// <param name="cpuToNode">The node of each CPU (numa_mem_id); its length is the CPU count.</param>
    /// <param name="nodeFallback">Per node, the nodes in zonelist order (get_any_partial walks it); default: the
    /// node itself, then the others by id.</param>
    /// <param name="pageMap">The virt_to_slab map shared with other caches (kfree); default: a private one.</param>
    /// <param name="taint">The kernel's taint state shared by the caches; default: a private one.</param>
    public SlubAllocator(
        KmemCache cache,
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null)
        : base(cache, SlabAllocatorKind.Slub, pages, cpuToNode, nodeFallback, pageMap, taint)
    {
        _cpus = new KmemCacheCpu?[cpuToNode.Count];
        _nodePartial = new SlabList[cache.Nodes];
        _nodeFull = new SlabList[cache.Nodes];
        for (var n = 0; n < cache.Nodes; n++)
        {
            _nodePartial[n] = new SlabList();
            _nodeFull[n] = new SlabList();
        }
        _nodeSlabs = new long[cache.Nodes];
        _nodeObjects = new long[cache.Nodes];
    }

    public SlubStats Stats { get; } = new();

    /// <summary>Objects in all slabs (num_objs).</summary>
    public long TotalObjects => _nodeObjects.Sum();

    /// <summary>Slabs the cache holds (num_slabs).</summary>
    public long TotalSlabs => _nodeSlabs.Sum();

    /// <summary>Slabs with at least one object in use.</summary>
    public long ActiveSlabs { get; private set; }

    /// <summary>Slabs on a node's partial list (n->nr_partial).</summary>
    public int NodePartialSlabs(int node) => _nodePartial[node].Count;

    /// <summary>Full slabs of a node (on no SLUB list unless SLAB_STORE_USER).</summary>
    public int NodeFullSlabs(int node) => _nodeFull[node].Count;

    /// <summary>Slabs of a node (nr_slabs).</summary>
    public long NodeSlabs(int node) => _nodeSlabs[node];

    /// <summary>Slabs on a CPU's partial list.</summary>
    public int CpuPartialSlabs(int cpu) => _cpus[cpu]?.Partial.Count ?? 0;

    /// <summary>The node of the CPU's active slab, or -1.</summary>
    public int CpuSlabNode(int cpu) => _cpus[cpu]?.Slab?.Node ?? -1;

    /// <summary>Objects left on the CPU's lockless freelist.</summary>
    public int CpuFreeObjects(int cpu) => _cpus[cpu]?.FreeCount ?? 0;

    /// <summary>this_cpu_ptr(s->cpu_slab).</summary>
    private KmemCacheCpu CpuSlab(int cpu) => _cpus[cpu] ??= new KmemCacheCpu();

    /// <summary>
    /// The /proc/slabinfo row as SLUB's get_slabinfo computes it: active_objs = num_objs minus the free objects
    /// on the node partial lists (free objects in CPU slabs and CPU partial slabs count as active), and
    /// active_slabs = num_slabs.
    /// </summary>
    public override SlabCacheSnapshot Snapshot()
    {
        long slabs = 0, objects = 0, free = 0;
        for (var n = 0; n < _nodePartial.Length; n++)
        {
            slabs += _nodeSlabs[n];
            objects += _nodeObjects[n];
            for (var s = _nodePartial[n].First; s is not null; s = s.ListNext)
            {
                free += s.FreeCount;
            }
        }
        return new SlabCacheSnapshot(
            Cache.Name, objects - free, objects, Cache.Size, Cache.ObjectsPerSlab, Cache.PagesPerSlab, slabs, slabs, Cache.Reclaimable);
    }

    /// <summary>
    /// kmem_cache_destroy: flushes the CPU slabs, frees every empty slab and reports the rest. Slabs with objects
    /// stay with the page source (leaked, as SLUB leaves them). Later calls throw.
    /// </summary>
    public override SlabDestroyResult Destroy()
    {
        ThrowIfDestroyed();
        for (var c = 0; c < _cpus.Length; c++)
        {
            FlushCpu(c);
        }
        var freed = Stats.FreeSlab;
        var shutdownReports = new List<SlabDebugReport>();
        for (var n = 0; n < _nodePartial.Length; n++)
        {
            // free_partial: empty slabs are discarded whatever min_partial says; the others are listed.
            for (var slab = _nodePartial[n].First; slab is not null;)
            {
                var next = slab.ListNext;
                if (slab.Live == 0 && slab.FreeCount == slab.Objects)
                {
                    _nodePartial[n].Remove(slab);
                    Discard(slab);
                }
                else
                {
                    shutdownReports.Add(ListSlabObjects(slab));
                }
                slab = next;
            }
        }
        var leakedSlabs = TotalSlabs;
        if (leakedSlabs > 0)
        {
            Taint.Add(TaintFlag.Warn);
        }
        MarkDestroyed();
        return new SlabDestroyResult(Cache.Name, ActiveObjects, leakedSlabs, PagesInUse, Stats.FreeSlab - freed, shutdownReports);
    }

    string ISlabPageOwner.Name => Cache.Name;

    bool ISlabPageOwner.FreeFromPage(int cpu, in SlabPageEntry entry, ObjectAddress address, bool kfree) => FreeInSlab(cpu, entry.Slab!, address);

    long ISlabPageOwner.Ksize(in SlabPageEntry entry, ObjectAddress address) => Cache.KsizeBytes;

    public override string ToString() => $"SLUB {Cache.Name}: {ActiveObjects} active, {TotalObjects} objects, {TotalSlabs} slabs";

    internal ObjectAddress AddressOf(Slab slab, int index) =>
        ObjectAddress.FromPfn(slab.Pfn, PageSize, ObjectOffset(index));

    /// <summary>Where the object address of object <paramref name="index"/> is, from the slab start.</summary>
    private int ObjectOffset(int index) => index * Cache.Size + Cache.RedLeftPad;
}
