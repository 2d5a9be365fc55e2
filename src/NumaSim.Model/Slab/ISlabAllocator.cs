using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>
/// One kmem_cache's allocator: kmem_cache_alloc_node, kmem_cache_free, kmem_cache_shrink, /proc/slabinfo,
/// kmem_cache_destroy. <see cref="SlubAllocator"/>, <see cref="SlabAllocator"/> and <see cref="SlobAllocator"/>
/// implement it over <see cref="SlabCommon"/>; <see cref="SlabAllocatorFactory"/> builds the one a cache's
/// <see cref="KmemCache.Allocator"/> names (through its <see cref="SlabAllocatorPolicy"/>).
/// Debug reports raised by any call queue up until <see cref="DrainReports"/>.
/// </summary>
public interface ISlabAllocator
{
    KmemCache Cache { get; }

    /// <summary>Objects handed out and not freed.</summary>
    long ActiveObjects { get; }

    /// <summary>Pages the cache holds from the page source (SLOB: the shared pages its objects sit in).</summary>
    long PagesInUse { get; }

    /// <summary>Constructor calls: one per object of every new slab (SLOB: one per allocation).</summary>
    long CtorCalls { get; }

    /// <summary>kmem_cache_destroy has run: the cache takes no more calls.</summary>
    bool IsDestroyed { get; }

    /// <summary>kmem_cache_alloc_node(cache, gfp, node) on <paramref name="cpu"/>; node -1 is NUMA_NO_NODE.
    /// <paramref name="requestedSize"/> is kmalloc's orig_size (0: the object size). False when out of memory.</summary>
    bool Allocate(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize = 0);

    /// <summary>kmem_cache_free on <paramref name="cpu"/>. False when the object was not freed (see the reports).</summary>
    bool Free(int cpu, ObjectAddress address);

    /// <summary>Empties the per-CPU caching layers into the node lists (SLUB flush_all, SLAB drain_cpu_caches; SLOB
    /// has none).</summary>
    void FlushAll();

    /// <summary>kmem_cache_shrink: flush, give empty slabs back; 1 when slabs remain, else 0 (SLOB: always 0).</summary>
    int Shrink();

    /// <summary>A scenario's write of <paramref name="length"/> bytes of <paramref name="value"/> at
    /// <paramref name="address"/> + <paramref name="offset"/>; only caches that keep bytes (debugging) take it.
    /// Returns the bytes written.</summary>
    int Write(ObjectAddress address, int offset, int length, byte value);

    /// <summary>Reads kept bytes at <paramref name="address"/> + <paramref name="offset"/>; false when not all kept.</summary>
    bool TryRead(ObjectAddress address, int offset, Span<byte> destination);

    IReadOnlyList<SlabDebugReport> DrainReports();

    SlabCacheSnapshot Snapshot();

    SlabDestroyResult Destroy();
}
