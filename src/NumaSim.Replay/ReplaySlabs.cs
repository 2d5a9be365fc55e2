using System.Globalization;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;

namespace NumaSim.Replay;

/// <summary>
/// The slab caches a replay allocates from: the boot-time kmalloc family, and one SLUB cache per traced
/// kmem_cache, created on first sight with the traced bytes_alloc (s->size) as its object size. A traced name
/// that is a kmalloc cache (kmalloc-64, kmalloc-cg-192, ...) uses that cache. Traces from kernels that do not
/// print kmem_cache_alloc's name (6.1 to 6.17) get one cache per bytes_alloc, named unnamed-SIZE. All caches
/// share one page map, so kfree frees an object of any of them.
/// </summary>
internal sealed class ReplaySlabs
{
    private readonly IPageSource _pages;
    private readonly TraceCpuMap _cpus;
    private readonly int _nodes;
    private readonly int _pageSize;
    private readonly IReadOnlyList<IReadOnlyList<int>> _nodeFallback;
    private readonly Dictionary<string, ISlabAllocator?> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ISlabAllocator?> _unnamed = [];
    private readonly List<ISlabAllocator> _created = [];

    public ReplaySlabs(IPageSource pages, TraceCpuMap cpus, PageAllocatorSetup setup)
    {
        _pages = pages;
        _cpus = cpus;
        _nodes = setup.Topology.Nodes.Count;
        _pageSize = setup.Topology.Arch.PageSize;
        _nodeFallback = [.. Enumerable.Range(0, _nodes).Select(n => setup.Zonelists.NodeOrder(n))];
        Kmalloc = new KmallocFamily(pages, cpus.Nodes, _nodes, _pageSize, nodeFallback: _nodeFallback);
    }

    public KmallocFamily Kmalloc { get; }

    public long CachesCreated => _created.Count;

    public long CacheCreateFailures { get; private set; }

    /// <summary>Objects allocated and not freed, in every cache (large kmalloc blocks included).</summary>
    public long ActiveObjects => Kmalloc.Caches.Sum(c => c.ActiveObjects) + _created.Sum(c => c.ActiveObjects) + Kmalloc.LargeAllocations;

    /// <summary>The cache of a kmem_cache_alloc event; null when kmem_cache_create refused it.</summary>
    public ISlabAllocator? Cache(string? name, long bytesAlloc)
    {
        if (name is null)
        {
            if (!_unnamed.TryGetValue(bytesAlloc, out var bySize))
            {
                bySize = Create("unnamed-" + bytesAlloc.ToString(CultureInfo.InvariantCulture), bytesAlloc);
                _unnamed.Add(bytesAlloc, bySize);
            }
            return bySize;
        }
        if (!_byName.TryGetValue(name, out var cache))
        {
            cache = Kmalloc.Cache(name) ?? Create(name, bytesAlloc);
            _byName.Add(name, cache);
        }
        return cache;
    }

    /// <summary>
    /// What the model's kmalloc would report as bytes_alloc for a request: the size of the kmalloc class it
    /// picks, PAGE_SIZE &lt;&lt; order for a large request, 0 for kmalloc(0).
    /// </summary>
    public long BytesAlloc(long size, Gfp gfp)
    {
        if (size <= 0)
        {
            return 0;
        }
        return Kmalloc.CacheFor(size, gfp) is { } cache ? cache.Cache.Size : Kmalloc.LargeBytes(SlubLayout.GetOrder(size, _pageSize));
    }

    /// <summary>Debug reports of every cache (a free the model refused).</summary>
    public IReadOnlyList<SlabDebugReport> DrainReports() => [.. Kmalloc.DrainReports(), .. _created.SelectMany(c => c.DrainReports())];

    /// <summary>slabinfo rows: caches created during the replay, newest first (slab_caches order), then the kmalloc caches.</summary>
    public IReadOnlyList<SlabCacheSnapshot> Snapshot() =>
        [.. Enumerable.Reverse(_created).Select(c => c.Snapshot()), .. Kmalloc.Snapshot()];

    private ISlabAllocator? Create(string name, long size)
    {
        var result = KmemCache.Create(name, (int)Math.Clamp(size, 0, int.MaxValue), 0, SlabFlags.None, false, _cpus.Count, _nodes, _pageSize);
        if (result.Cache is null)
        {
            CacheCreateFailures++;
            return null;
        }
        var allocator = new SlubAllocator(result.Cache, _pages, _cpus.Nodes, _nodeFallback, Kmalloc.PageMap, Kmalloc.Taint);
        _created.Add(allocator);
        return allocator;
    }
}
