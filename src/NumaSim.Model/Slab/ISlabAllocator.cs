using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// One kmem_cache's allocator: kmem_cache_alloc_node, kmem_cache_free, /proc/slabinfo, kmem_cache_destroy.
/// SLUB implements it (<see cref="SlubAllocator"/>); SLAB or SLOB variants would implement the same surface.
/// Debug reports raised by any call queue up until <see cref="DrainReports"/>.
/// </summary>
public interface ISlabAllocator
{
    KmemCache Cache { get; }

    /// <summary>Objects handed out and not freed.</summary>
    long ActiveObjects { get; }

    /// <summary>kmem_cache_alloc_node(cache, gfp, node) on <paramref name="cpu"/>; node -1 is NUMA_NO_NODE.
    /// <paramref name="requestedSize"/> is kmalloc's orig_size (0: the object size). False when out of memory.</summary>
    bool Allocate(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize = 0);

    /// <summary>kmem_cache_free on <paramref name="cpu"/>. False when the object was not freed (see the reports).</summary>
    bool Free(int cpu, ObjectAddress address);

    IReadOnlyList<SlabDebugReport> DrainReports();

    SlabCacheSnapshot Snapshot();

    SlabDestroyResult Destroy();
}
