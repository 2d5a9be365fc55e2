using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// SLAB for one cache (mm/slab.c as of 6.4, its last version before removal), all CPUs and nodes in one object.
/// Each CPU has an array cache of free object pointers (limit, batchcount); each node has slabs on full, partial
/// and free lists, a shared array of sharedfactor x batchcount pointers and, on NUMA, an alien array per other node
/// for objects freed here that live there. Allocation pops the CPU array; an empty array refills batchcount objects
/// from the shared array, else from the node's partial then free slabs, else from a new slab (cache_grow). A free
/// pushes onto the CPU array; a full array first hands its oldest batchcount objects to the shared array, or back
/// to their slabs (free_block), which returns free slabs to the page source once the node holds more than
/// free_limit free objects. Debug checks (red zones, poison) run as CONFIG_DEBUG_SLAB runs them (SlabAllocator.Debug.cs).
/// </summary>
public sealed partial class SlabAllocator : SlabCommon, ISlabPageOwner
{
    private readonly int[] _cpusOnNode;
    private readonly KmemCacheNode[] _nodes;
    private readonly bool _useAlien;
    private readonly List<Slab> _destroyList = [];
    private readonly bool[] _touchedNodes;
    // The per-CPU arrays, made on a CPU's first use (a front-end that serves one CPU builds one), with the
    // tunables in force then.
    private ArrayCache?[] _cpuCache;

    /// <param name="cache">A SLAB layout (<see cref="SlabAllocatorFactory.CreateCache"/> with <see cref="SlabAllocatorKind.Slab"/>).</param>
    /// <param name="pages">Where slab pages come from.</param>
    /// <param name="cpuToNode">The node of each CPU (numa_mem_id); its length is the CPU count.</param>
    /// <param name="nodeFallback">Per node, the nodes in zonelist order (fallback_alloc walks it); default: the node
    /// itself, then the others by id.</param>
    /// <param name="pageMap">The virt_to_slab map shared with other caches (kfree); default: a private one.</param>
    /// <param name="taint">The kernel's taint state shared by the caches; default: a private one.</param>
    /// <param name="alienCaches">False for the noaliencache boot option (one-node machines have none anyway).</param>
    public SlabAllocator(
        KmemCache cache,
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback = null,
        SlabPageMap? pageMap = null,
        KernelTaint? taint = null,
        bool alienCaches = true)
        : base(cache, SlabAllocatorKind.Slab, pages, cpuToNode, nodeFallback, pageMap, taint)
    {
        _cpusOnNode = new int[cache.Nodes];
        foreach (var node in cpuToNode)
        {
            _cpusOnNode[node]++;
        }

        // kmem_cache_init: no alien caches on a one-node machine.
        _useAlien = alienCaches && cache.Nodes > 1;
        Tunables = cache.Tunables;
        _touchedNodes = new bool[cache.Nodes];
        _nodes = new KmemCacheNode[cache.Nodes];
        for (var n = 0; n < _nodes.Length; n++)
        {
            _nodes[n] = new KmemCacheNode();
            SetupNode(n, force: false);
        }
        _cpuCache = NewCpuArrays();
    }

    /// <summary>The tunables in force: enable_cpucache's, or what <see cref="Tune"/> set.</summary>
    public SlabTunables Tunables { get; private set; }

    public SlabStats Stats { get; } = new();

    /// <summary>Objects in all slabs (num_objs).</summary>
    public long TotalObjects => TotalSlabs * Cache.ObjectsPerSlab;

    /// <summary>Slabs the cache holds (total_slabs).</summary>
    public long TotalSlabs => _nodes.Sum(n => n.TotalSlabs);

    /// <summary>Free object pointers in a CPU's array (ac->avail).</summary>
    public int CpuAvail(int cpu) => _cpuCache[cpu]?.Avail ?? 0;

    /// <summary>The CPU array's limit and batchcount.</summary>
    public (int Limit, int BatchCount) CpuArray(int cpu) =>
        _cpuCache[cpu] is { } ac ? (ac.Limit, ac.BatchCount) : (Tunables.Limit, Tunables.BatchCount);

    /// <summary>Objects in a node's shared array (0 without one).</summary>
    public int SharedAvail(int node) => _nodes[node].Shared?.Avail ?? 0;

    /// <summary>The node's shared array size (0 without one).</summary>
    public int SharedLimit(int node) => _nodes[node].Shared?.Limit ?? 0;

    /// <summary>Objects of <paramref name="owner"/> waiting in <paramref name="node"/>'s alien array.</summary>
    public int AlienAvail(int node, int owner) => _nodes[node].Alien?[owner]?.Avail ?? 0;

    /// <summary>The node's free_objects: free objects on its slabs.</summary>
    public long NodeFreeObjects(int node) => _nodes[node].FreeObjects;

    /// <summary>The node's free_limit.</summary>
    public long NodeFreeLimit(int node) => _nodes[node].FreeLimit;

    /// <summary>Slabs on the node's full, partial and free lists.</summary>
    public (int Full, int Partial, int Free) NodeSlabs(int node) =>
        (_nodes[node].Full.Count, _nodes[node].Partial.Count, _nodes[node].Free.Count);

    /// <summary>
    /// The /proc/slabinfo row as SLAB's get_slabinfo computes it: num_objs = total_slabs * num, active_objs =
    /// num_objs - free_objects (objects in array caches count as active), active_slabs = total_slabs - free_slabs,
    /// the tunables, and sharedavail summed over the nodes' shared arrays.
    /// </summary>
    public override SlabCacheSnapshot Snapshot()
    {
        long totalSlabs = 0, freeSlabs = 0, freeObjects = 0, sharedAvail = 0;
        foreach (var n in _nodes)
        {
            totalSlabs += n.TotalSlabs;
            freeSlabs += n.FreeSlabs;
            freeObjects += n.FreeObjects;
            sharedAvail += n.Shared?.Avail ?? 0;
        }
        var numObjects = totalSlabs * Cache.ObjectsPerSlab;
        return new SlabCacheSnapshot(
            Cache.Name, numObjects - freeObjects, numObjects, Cache.Size, Cache.ObjectsPerSlab, Cache.PagesPerSlab,
            totalSlabs - freeSlabs, totalSlabs, Cache.Reclaimable,
            Tunables.Limit, Tunables.BatchCount, Tunables.SharedFactor, sharedAvail);
    }

    /// <summary>
    /// Writing "NAME limit batchcount shared" to /proc/slabinfo (slabinfo_write, do_tune_cpucache): ignored unless
    /// limit &gt;= 1, 1 &lt;= batchcount &lt;= limit, shared &gt;= 0. New CPU arrays replace the old ones, whose objects go
    /// back to their slabs; each node gets a new shared array and free_limit. Returns whether it was applied.
    /// </summary>
    public bool Tune(int limit, int batchCount, int sharedFactor)
    {
        ThrowIfDestroyed();
        var tunables = new SlabTunables(limit, batchCount, sharedFactor);
        if (!tunables.IsValid)
        {
            return false;
        }
        var old = _cpuCache;
        Tunables = tunables;
        _cpuCache = NewCpuArrays();
        foreach (var ac in old)
        {
            if (ac is not null)
            {
                FreeBlock(ac.Entries);
                SlabsDestroy();
            }
        }
        for (var n = 0; n < _nodes.Length; n++)
        {
            SetupNode(n, force: true);
        }
        return true;
    }

    /// <summary>
    /// kmem_cache_destroy: __kmem_cache_shutdown is __kmem_cache_shrink. With objects left, SLAB keeps the cache and
    /// its slabs (the caller prints the WARN of <see cref="SlabDestroyResult.Warning"/>); SLAB lists no objects.
    /// The model retires the cache either way: later calls throw.
    /// </summary>
    public override SlabDestroyResult Destroy()
    {
        ThrowIfDestroyed();
        var freed = Stats.FreeSlab;
        Shrink();
        var leakedSlabs = TotalSlabs;
        if (leakedSlabs > 0)
        {
            Taint.Add(TaintFlag.Warn);
        }
        MarkDestroyed();
        return new SlabDestroyResult(Cache.Name, ActiveObjects, leakedSlabs, PagesInUse, Stats.FreeSlab - freed, []);
    }

    string ISlabPageOwner.Name => Cache.Name;

    bool ISlabPageOwner.FreeFromPage(int cpu, in SlabPageEntry entry, ObjectAddress address, bool kfree) => FreeInSlab(cpu, entry.Slab!, address);

    long ISlabPageOwner.Ksize(in SlabPageEntry entry, ObjectAddress address) => Cache.KsizeBytes;

    public override string ToString() => $"SLAB {Cache.Name}: {ActiveObjects} active, {TotalObjects} objects, {TotalSlabs} slabs";

    /// <summary>index_to_obj + obj_offset: the address a caller sees.</summary>
    internal ObjectAddress AddressOf(Slab slab, int index) => ObjectAddress.FromPfn(slab.Pfn, PageSize, ObjectOffset(slab, index));

    /// <summary>Where object <paramref name="index"/>'s slot starts, from the slab start (s_mem + size * index).</summary>
    private int SlotOffset(Slab slab, int index) => slab.ObjectsOffset + index * Cache.Size;

    private int ObjectOffset(Slab slab, int index) => SlotOffset(slab, index) + Cache.RedLeftPad;

    /// <summary>obj_to_index, or -1 when <paramref name="address"/> is not an object start of the slab.</summary>
    private int IndexOf(Slab slab, ObjectAddress address)
    {
        var fromFirst = (long)(address.Value - ObjectAddress.FromPfn(slab.Pfn, PageSize).Value) - slab.ObjectsOffset - Cache.RedLeftPad;
        return fromFirst >= 0 && fromFirst % Cache.Size == 0 && fromFirst / Cache.Size < slab.Objects ? (int)(fromFirst / Cache.Size) : -1;
    }

    private ArrayCache?[] NewCpuArrays() => new ArrayCache?[CpuCount];

    /// <summary>cpu_cache_get: the CPU's array.</summary>
    private ArrayCache CpuCache(int cpu) => _cpuCache[cpu] ??= new ArrayCache(Tunables.Limit, Tunables.BatchCount);

    /// <summary>
    /// setup_kmem_cache_node and init_cache_node: free_limit, a new shared array (the old one's objects freed when
    /// <paramref name="force"/>), and alien arrays of 12 (alloc_alien_cache) for every other node the first time.
    /// </summary>
    private void SetupNode(int node, bool force)
    {
        var n = _nodes[node];
        n.FreeLimit = (1L + _cpusOnNode[node]) * Tunables.BatchCount + Cache.ObjectsPerSlab;
        var shared = Tunables.SharedFactor > 0 ? new ArrayCache(Tunables.SharedLimit, Tunables.BatchCount) : null;
        if (n.Shared is { } old && force)
        {
            FreeBlock(old.Entries);
            old.Avail = 0;
        }
        if (n.Shared is null || force)
        {
            n.Shared = shared;
        }
        if (_useAlien && n.Alien is null)
        {
            var limit = Tunables.Limit > 1 ? SlabLayout.AlienLimit : Tunables.Limit;
            n.Alien = new ArrayCache?[_nodes.Length];
            for (var other = 0; other < _nodes.Length; other++)
            {
                if (other != node)
                {
                    n.Alien[other] = new ArrayCache(limit, limit);
                }
            }
        }
        SlabsDestroy();
    }
}
