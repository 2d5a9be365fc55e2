using System.Numerics;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>SLAB's kmem_cache_create (__kmem_cache_create in mm/slab.c as of 6.4).</summary>
public sealed partial class KmemCache
{
    /// <summary>
    /// kmem_cache_create under SLAB. CACHE_CREATE_MASK keeps SLAB_RED_ZONE, SLAB_POISON and SLAB_STORE_USER only
    /// with CONFIG_DEBUG_SLAB and never SLUB's consistency checks or trace. An off-slab freelist is measured
    /// against the kmalloc caches as they stand after boot.
    /// </summary>
    internal static KmemCacheCreateResult CreateSlab(
        string name, int size, int align, SlabFlags flags, bool hasCtor, int cpus, int nodes, int pageSize, SlabAllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        CheckMachine(cpus, nodes, pageSize);
        flags = NormalizeFlags(flags) & ~(SlabFlags.ConsistencyChecks | SlabFlags.Trace);
        if (!options.DebugSlab)
        {
            flags &= ~SlubDebugOptions.MetadataFlags;
        }
        if (!IsValidRequest(size, align, pageSize))
        {
            return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.Einval);
        }
        var kmalloc = KmallocFamily.SlabBootCaches(pageSize, options);
        return OpenSlab(
            name, size, CalculateAlignment(flags, align, size), flags, hasCtor, cpus, nodes, pageSize, options,
            freelistSize => kmalloc.GetValueOrDefault(KmallocFamily.SlabKmallocIndex(freelistSize)));
    }

    /// <summary>
    /// create_kmalloc_cache under SLAB: ARCH_KMALLOC_FLAGS (SLAB_HWCACHE_ALIGN) | SLAB_KMALLOC, aligned to the size
    /// when it is a power of two (create_boot_cache in 6.4). <paramref name="kmallocSlab"/> sees the normal kmalloc
    /// caches created so far.
    /// </summary>
    internal static KmemCache CreateSlabKmalloc(
        string name, int size, SlabFlags flags, int cpus, int nodes, int pageSize, SlabAllocatorOptions options, Func<int, KmemCache?> kmallocSlab)
    {
        flags |= SlabFlags.Kmalloc | SlabFlags.HwcacheAlign;
        var align = BitOperations.IsPow2(size) ? Math.Max(WordSize, size) : WordSize;
        var result = OpenSlab(name, size, CalculateAlignment(flags, align, size), flags, false, cpus, nodes, pageSize, options, kmallocSlab);
        return result.Cache ?? throw new InvalidOperationException($"Creation of kmalloc slab {name} size={size} failed. Reason {result.Error}");
    }

    /// <summary>
    /// __kmem_cache_create: word-align the size; with DEBUG, FORCED_DEBUG adds red zones and the last-user word
    /// (unless the alignment is above 8, which drops them) and poison; then the freelist placement in the kernel's
    /// order: inside a free object (no ctor and num indices fit in one object), off the slab (when the leftover
    /// cannot hold it), on the slab.
    /// </summary>
    private static KmemCacheCreateResult OpenSlab(
        string name,
        int objectSize,
        int align,
        SlabFlags flags,
        bool hasCtor,
        int cpus,
        int nodes,
        int pageSize,
        SlabAllocatorOptions options,
        Func<int, KmemCache?> kmallocSlab)
    {
        var debug = options.DebugSlab;
        if (debug)
        {
            // FORCED_DEBUG: red zones unless they push a large object past the next power of two.
            if (objectSize < 4096 || Fls(objectSize - 1) == Fls(objectSize - 1 + SlabLayout.RedzoneAlign + 2 * sizeof(ulong)))
            {
                flags |= SlabFlags.RedZone | SlabFlags.StoreUser;
            }
            flags |= SlabFlags.Poison;
        }

        var size = AlignUp(objectSize, WordSize);
        var ralign = WordSize;
        if ((flags & SlabFlags.RedZone) != 0)
        {
            ralign = SlabLayout.RedzoneAlign;
            size = AlignUp(size, SlabLayout.RedzoneAlign);
        }
        ralign = Math.Max(ralign, align);
        if (ralign > sizeof(ulong))
        {
            flags &= ~(SlabFlags.RedZone | SlabFlags.StoreUser); // "disable debug if necessary"
        }
        var colourOff = Math.Max(CacheLineSize, ralign);

        var objOffset = 0;
        if (debug)
        {
            if ((flags & SlabFlags.RedZone) != 0)
            {
                objOffset += sizeof(ulong);
                size += 2 * sizeof(ulong);
            }
            if ((flags & SlabFlags.StoreUser) != 0)
            {
                size += (flags & SlabFlags.RedZone) != 0 ? SlabLayout.RedzoneAlign : WordSize;
            }
        }
        size = AlignUp(size, ralign);
        if (SlabLayout.FreelistByteIndex(pageSize) && size < SlabLayout.ObjMinSize)
        {
            size = AlignUp(SlabLayout.ObjMinSize, ralign);
        }

        var reclaim = (flags & SlabFlags.Reclaimable) != 0;
        var maxOrder = Math.Clamp(options.SlabMaxOrder, 0, MaxPageOrder);
        var indexSize = SlabLayout.FreelistIndexSize(pageSize);
        int Calculate(SlabManagement management, out int order, out int left) =>
            SlabLayout.CalculateSlabOrder(size, objectSize, management, reclaim, maxOrder, pageSize, kmallocSlab, out order, out left);

        SlabManagement placement;
        int num, gfporder, leftOver;
        if (!hasCtor && (num = Calculate(SlabManagement.ObjFreelist, out gfporder, out leftOver)) > 0 && num * indexSize <= objectSize)
        {
            placement = SlabManagement.ObjFreelist;
        }
        else if ((num = Calculate(SlabManagement.OffSlab, out gfporder, out leftOver)) > 0 && leftOver < num * indexSize)
        {
            placement = SlabManagement.OffSlab;
        }
        else if ((num = Calculate(SlabManagement.OnSlab, out gfporder, out leftOver)) > 0)
        {
            placement = SlabManagement.OnSlab;
        }
        else
        {
            return KmemCacheCreateResult.Fail(name, flags, KmemCacheCreateResult.E2big);
        }

        var allocFlags = Gfp.Comp;
        if ((flags & SlabFlags.CacheDma) != 0)
        {
            allocFlags |= Gfp.Dma;
        }
        if ((flags & SlabFlags.CacheDma32) != 0)
        {
            allocFlags |= Gfp.Dma32;
        }
        if (reclaim)
        {
            allocFlags |= Gfp.Reclaimable;
        }
        var layout = new VariantLayout(
            SlabAllocatorKind.Slab, size, gfporder, num, objOffset, placement, leftOver / colourOff, colourOff, num * indexSize,
            SlabLayout.Tunables(size, pageSize, cpus, debug), allocFlags, debug);
        return KmemCacheCreateResult.Ok(new KmemCache(name, objectSize, ralign, flags, hasCtor, cpus, nodes, pageSize, layout));
    }

    private static int Fls(int x) => x == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)x);
}
