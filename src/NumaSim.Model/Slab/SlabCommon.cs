using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// What every slab allocator shares, as mm/slab_common.c sits over slub.c, slab.c and slob.c: the checks at the
/// entry points (a live cache, a known CPU, NUMA_NO_NODE for a node the cache has no lists for), the node
/// fallback order, the free entry with cache_from_obj, the kept bytes scenarios write and read, and the debug
/// reports that queue until <see cref="DrainReports"/>. <see cref="SlubAllocator"/>, <see cref="SlabAllocator"/>
/// and <see cref="SlobAllocator"/> supply the allocation, free, flush, shrink, slabinfo and destroy of their kind.
/// </summary>
public abstract class SlabCommon : ISlabAllocator
{
    private readonly int[] _cpuToNode;
    private readonly int[][] _nodeFallback;
    private readonly List<SlabDebugReport> _reports = [];
    private List<string>? _lastReportLines;
    private bool _destroyed;

    /// <param name="cache">The cache layout; it must have been laid out by <paramref name="kind"/>.</param>
    /// <param name="kind">The allocator deriving from this class.</param>
    /// <param name="pages">Where slab pages come from.</param>
    /// <param name="cpuToNode">The node of each CPU (numa_mem_id); its length is the CPU count.</param>
    /// <param name="nodeFallback">Per node, the nodes in zonelist order; default: the node itself, then the others
    /// by id.</param>
    /// <param name="pageMap">The virt_to_slab map shared with other caches (kfree); default: a private one.</param>
    /// <param name="taint">The kernel's taint state shared by the caches; default: a private one.</param>
    protected SlabCommon(
        KmemCache cache,
        SlabAllocatorKind kind,
        IPageSource pages,
        IReadOnlyList<int> cpuToNode,
        IReadOnlyList<IReadOnlyList<int>>? nodeFallback,
        SlabPageMap? pageMap,
        KernelTaint? taint)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(cpuToNode);
        if (cache.Allocator != kind)
        {
            throw new ArgumentException($"{cache.Name} was laid out for {cache.Allocator}, not {kind}.", nameof(cache));
        }
        if (cpuToNode.Count == 0)
        {
            throw new ArgumentException("At least one CPU is needed.", nameof(cpuToNode));
        }
        foreach (var node in cpuToNode)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(node, nameof(cpuToNode));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, cache.Nodes, nameof(cpuToNode));
        }
        Cache = cache;
        Pages = pages;
        _cpuToNode = [.. cpuToNode];
        PageSize = cache.PageSize;
        PageMap = pageMap ?? new SlabPageMap();
        Taint = taint ?? new KernelTaint();
        _nodeFallback = new int[cache.Nodes][];
        for (var n = 0; n < cache.Nodes; n++)
        {
            _nodeFallback[n] = nodeFallback is not null && n < nodeFallback.Count
                ? [.. nodeFallback[n].Where(x => x >= 0 && x < cache.Nodes)]
                : [n, .. Enumerable.Range(0, cache.Nodes).Where(x => x != n)];
        }
    }

    public KmemCache Cache { get; }

    public SlabPageMap PageMap { get; }

    public KernelTaint Taint { get; }

    public int CpuCount => _cpuToNode.Length;

    /// <summary>Objects handed out and not freed.</summary>
    public long ActiveObjects { get; protected set; }

    /// <summary>Pages the cache holds from the page source.</summary>
    public long PagesInUse { get; protected set; }

    /// <summary>Constructor calls.</summary>
    public long CtorCalls { get; protected set; }

    public bool IsDestroyed => _destroyed;

    protected IPageSource Pages { get; }

    protected int PageSize { get; }

    /// <summary>
    /// kmem_cache_alloc_node: a node without lists of this cache is NUMA_NO_NODE (!node_isset(node, slab_nodes)),
    /// then the allocator's own path.
    /// </summary>
    public bool Allocate(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize = 0)
    {
        ThrowIfDestroyed();
        CheckCpu(cpu);
        if (node < -1 || node >= Cache.Nodes)
        {
            node = -1;
        }
        return AllocateObject(cpu, node, gfp, out address, requestedSize);
    }

    /// <summary>kmem_cache_free: NULL and ZERO_SIZE_PTR are no-ops, the rest goes to <see cref="FreeObject"/>.</summary>
    public bool Free(int cpu, ObjectAddress address)
    {
        ThrowIfDestroyed();
        CheckCpu(cpu);
        return address.IsZeroOrNull || FreeObject(cpu, address);
    }

    public abstract void FlushAll();

    public abstract int Shrink();

    /// <summary>
    /// A scenario's write into memory: <paramref name="length"/> bytes of <paramref name="value"/> at
    /// <paramref name="address"/> + <paramref name="offset"/> (negative or past the object: an underrun or overrun).
    /// Only the slabs of debug caches keep bytes; writes are clipped to the slab. Returns the bytes written.
    /// </summary>
    public int Write(ObjectAddress address, int offset, int length, byte value)
    {
        if (!TryLocateBytes(address, offset, length, out var bytes, out var start, out var count))
        {
            return 0;
        }
        bytes.AsSpan((int)start, count).Fill(value);
        return count;
    }

    /// <summary>Reads the bytes at <paramref name="address"/> + <paramref name="offset"/>; false when they are not
    /// all inside a slab of this cache that keeps bytes.</summary>
    public bool TryRead(ObjectAddress address, int offset, Span<byte> destination)
    {
        if (!TryLocateBytes(address, offset, destination.Length, out var bytes, out var start, out var count) || count != destination.Length)
        {
            return false;
        }
        bytes.AsSpan((int)start, count).CopyTo(destination);
        return true;
    }

    public IReadOnlyList<SlabDebugReport> DrainReports()
    {
        if (_reports.Count == 0)
        {
            return [];
        }
        var drained = _reports.ToArray();
        _reports.Clear();
        _lastReportLines = null;
        return drained;
    }

    public abstract SlabCacheSnapshot Snapshot();

    public abstract SlabDestroyResult Destroy();

    /// <summary>The allocator's slab_alloc_node once the entry checks passed; <paramref name="node"/> is -1 or one
    /// of the cache's nodes.</summary>
    protected abstract bool AllocateObject(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize);

    /// <summary>
    /// cache_from_obj, then the free of the cache that owns the slab page (a wrong cache is warned about and the
    /// object freed to its own cache). SLOB, whose pages belong to the shared heap, overrides it.
    /// </summary>
    protected virtual bool FreeObject(int cpu, ObjectAddress address)
    {
        if (!PageMap.TryGet(address, PageSize, out var entry) || entry.Slab is null)
        {
            // virt_to_cache (CONFIG_SLAB_FREELIST_HARDENED): the object is not freed.
            AddReport(SlabDebugKind.InvalidPointer, address, ["virt_to_cache: Object is not a Slab page!"], silent: false);
            return false;
        }
        if (!ReferenceEquals(entry.Owner, this))
        {
            AddReport(
                SlabDebugKind.WrongCache,
                address,
                [$"cache_from_obj: Wrong slab cache. {Cache.Name} but object is from {entry.Owner!.Name}"],
                silent: false);
        }
        return entry.Owner!.FreeFromPage(cpu, entry, address, kfree: false);
    }

    /// <summary>The node of <paramref name="cpu"/> (numa_mem_id).</summary>
    protected int NodeOfCpu(int cpu) => _cpuToNode[cpu];

    /// <summary>The nodes a CPU on <paramref name="node"/> falls back to, in zonelist order.</summary>
    protected int[] NodeFallback(int node) => _nodeFallback[node];

    protected void CheckCpu(int cpu) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cpu, (uint)_cpuToNode.Length, nameof(cpu));

    protected void ThrowIfDestroyed()
    {
        if (_destroyed)
        {
            throw new InvalidOperationException($"kmem_cache {Cache.Name} was destroyed.");
        }
    }

    /// <summary>kmem_cache_destroy ran: later calls throw.</summary>
    protected void MarkDestroyed() => _destroyed = true;

    protected void AddReport(SlabDebugKind kind, ObjectAddress address, List<string> lines, bool silent)
    {
        _reports.Add(new SlabDebugReport(kind, Cache.Name, address, lines, silent));
        _lastReportLines = silent ? null : lines;
    }

    protected void AddReport(SlabDebugReport report)
    {
        _reports.Add(report);
        _lastReportLines = null;
    }

    /// <summary>Adds <paramref name="line"/> to the last report not yet drained (slab_fix after slab_bug); false
    /// when there is none.</summary>
    protected bool TryAppendToLastReport(string line)
    {
        if (_lastReportLines is null)
        {
            return false;
        }
        _lastReportLines.Add(line);
        return true;
    }

    private bool TryLocateBytes(ObjectAddress address, int offset, int length, out byte[] bytes, out long start, out int count)
    {
        bytes = [];
        start = 0;
        count = 0;
        if (!PageMap.TryGet(address, PageSize, out var entry) || !ReferenceEquals(entry.Owner, this) || entry.Slab?.Bytes is not { } slabBytes)
        {
            return false;
        }
        var from = (long)(address.Value - ObjectAddress.FromPfn(entry.Slab.Pfn, PageSize).Value) + offset;
        var to = from + Math.Max(length, 0);
        from = Math.Clamp(from, 0, slabBytes.Length);
        to = Math.Clamp(to, 0, slabBytes.Length);
        bytes = slabBytes;
        start = from;
        count = (int)(to - from);
        return count > 0;
    }
}
