namespace NumaSim.Model.Slab;

/// <summary>
/// SLAB's slab sizing and tunables (mm/slab.c as of 6.4): cache_estimate, calculate_slab_order and the limits
/// enable_cpucache picks. freelist_idx_t is one byte when PAGE_SIZE &gt;&gt; 8 &lt;= SLAB_OBJ_MIN_SIZE (4 KiB pages), which
/// caps a slab at 255 objects; otherwise two bytes and 65535.
/// </summary>
public static class SlabLayout
{
    /// <summary>SLAB's KMALLOC_SHIFT_LOW: kmalloc-32 is the smallest kmalloc cache (KMALLOC_MIN_SIZE 32).</summary>
    public const int KmallocShiftLow = 5;

    /// <summary>SLAB_OBJ_MIN_SIZE: min(KMALLOC_MIN_SIZE, 16).</summary>
    public const int ObjMinSize = 16;

    /// <summary>SLAB_MAX_ORDER_HI / SLAB_MAX_ORDER_LO: slab_max_order above / up to 32 MiB of memory.</summary>
    public const int SlabMaxOrderHi = 1;

    public const int SlabMaxOrderLo = 0;

    /// <summary>BATCHREFILL_LIMIT: an untouched CPU array refills at most this many objects.</summary>
    public const int BatchRefillLimit = 16;

    /// <summary>REDZONE_ALIGN: max(BYTES_PER_WORD, __alignof__(unsigned long long)).</summary>
    public const int RedzoneAlign = 8;

    /// <summary>alloc_alien_cache: an alien array holds 12 objects (1 when the cache's limit is 1).</summary>
    public const int AlienLimit = 12;

    /// <summary>FREELIST_BYTE_INDEX.</summary>
    public static bool FreelistByteIndex(int pageSize) => (pageSize >> 8) <= ObjMinSize;

    /// <summary>sizeof(freelist_idx_t).</summary>
    public static int FreelistIndexSize(int pageSize) => FreelistByteIndex(pageSize) ? 1 : 2;

    /// <summary>SLAB_OBJ_MAX_NUM: the most objects a slab may hold.</summary>
    public static int MaxObjects(int pageSize) => FreelistByteIndex(pageSize) ? byte.MaxValue : ushort.MaxValue;

    /// <summary>
    /// cache_estimate: objects of <paramref name="size"/> bytes in a slab of 2^order pages and the bytes left over.
    /// With the freelist on the slab each object also costs one freelist_idx_t.
    /// </summary>
    public static int CacheEstimate(int order, int size, SlabManagement management, int pageSize, out int leftOver)
    {
        var slabSize = (long)pageSize << order;
        var per = management is SlabManagement.ObjFreelist or SlabManagement.OffSlab ? size : size + FreelistIndexSize(pageSize);
        leftOver = (int)(slabSize % per);
        return (int)(slabSize / per);
    }

    /// <summary>
    /// enable_cpucache: limit 1 above 128 KiB objects, 8 above PAGE_SIZE, 24 above 1 KiB, 54 above 256 bytes, else
    /// 120; a shared array of 8 x batchcount for objects up to PAGE_SIZE on SMP; with DEBUG the limit is capped at
    /// 32; batchcount is (limit + 1) / 2. <paramref name="size"/> is cachep->size, the object stride.
    /// </summary>
    public static SlabTunables Tunables(int size, int pageSize, int possibleCpus, bool debug)
    {
        var limit = size > 131072 ? 1 : size > pageSize ? 8 : size > 1024 ? 24 : size > 256 ? 54 : 120;
        var shared = size <= pageSize && possibleCpus > 1 ? 8 : 0;
        if (debug && limit > 32)
        {
            limit = 32;
        }
        return new SlabTunables(limit, (limit + 1) / 2, shared);
    }

    /// <summary>
    /// calculate_slab_order: the lowest order that holds objects, then higher ones while the leftover is above 1/8
    /// of the slab, up to slab_max_order (a SLAB_RECLAIM_ACCOUNT cache takes the first order that fits). An
    /// off-slab freelist must come from a kmalloc cache that is itself not off-slab and no bigger than half the
    /// object (<paramref name="objectSize"/>: cachep->size still holds the requested size at this point).
    /// <paramref name="kmallocSlab"/> is kmalloc_slab(size, 0): the normal kmalloc cache of that size if it exists
    /// yet. Objects 0 means no order works.
    /// </summary>
    internal static int CalculateSlabOrder(
        int size,
        int objectSize,
        SlabManagement management,
        bool reclaimAccount,
        int slabMaxOrder,
        int pageSize,
        Func<int, KmemCache?> kmallocSlab,
        out int order,
        out int leftOver)
    {
        var num = 0;
        order = 0;
        leftOver = 0;
        for (var gfporder = 0; gfporder <= KmemCache.MaxPageOrder; gfporder++)
        {
            var objects = CacheEstimate(gfporder, size, management, pageSize, out var remainder);
            if (objects == 0)
            {
                continue;
            }
            if (objects > MaxObjects(pageSize))
            {
                break;
            }
            if (management == SlabManagement.OffSlab)
            {
                var freelistSize = objects * FreelistIndexSize(pageSize);
                int freelistCacheSize;
                if (freelistSize > 2 * pageSize)
                {
                    // Above KMALLOC_MAX_CACHE_SIZE the freelist is a page block of its own.
                    freelistCacheSize = pageSize << SlubLayout.GetOrder(freelistSize, pageSize);
                }
                else
                {
                    if (kmallocSlab(freelistSize) is not { } freelistCache || freelistCache.Management == SlabManagement.OffSlab)
                    {
                        continue; // no such cache yet, or cache_grow_begin could loop
                    }
                    freelistCacheSize = freelistCache.Size;
                }
                if (freelistCacheSize > objectSize / 2)
                {
                    continue; // not enough benefit
                }
            }

            num = objects;
            order = gfporder;
            leftOver = remainder;
            if (reclaimAccount || gfporder >= slabMaxOrder || (long)leftOver * 8 <= (long)pageSize << gfporder)
            {
                break;
            }
        }
        return num;
    }
}
