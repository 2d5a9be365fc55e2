namespace NumaSim.Model.PageAlloc;

/// <summary>
/// What a watermark check needs to know of a zone: exact in the zone, a window-old copy elsewhere.
/// <paramref name="ReclaimFreed"/> counts the pages reclaim has freed to the zone so far, so that a reclaimer
/// holding a window-old copy knows which of its own frees the copy already shows.
/// </summary>
public readonly record struct ZoneFreeView(long FreePages, int OrdersWithFreeBlocks, int OrdersWithHighAtomic, long ReservedHighAtomic, long ReclaimFreed = 0);

/// <summary>__zone_watermark_ok from mm/page_alloc.c.</summary>
public static class WatermarkCheck
{
    public static bool Ok(ZoneFreeView zone, int order, long mark, IReadOnlyList<long> lowmemReserve, int highestZoneIdx, AllocFlags flags)
    {
        var min = mark;
        // __zone_watermark_unusable_free: the request's own block beyond one page, and the
        // highatomic reserve for requests that may not use reserves.
        var free = zone.FreePages - ((1L << order) - 1);
        if ((flags & AllocFlags.Reserves) == 0)
        {
            free -= zone.ReservedHighAtomic;
        }
        if ((flags & AllocFlags.Reserves) != 0)
        {
            if ((flags & AllocFlags.MinReserve) != 0)
            {
                min -= min / 2;
                if ((flags & AllocFlags.NonBlock) != 0)
                {
                    min -= min / 4;
                }
            }
            if ((flags & AllocFlags.Oom) != 0)
            {
                min -= min / 2;
            }
        }
        if (free <= min + lowmemReserve[highestZoneIdx])
        {
            return false;
        }
        if (order == 0)
        {
            return true;
        }
        var fromOrder = ~((1 << order) - 1);
        if ((zone.OrdersWithFreeBlocks & fromOrder) != 0)
        {
            return true;
        }
        return (flags & (AllocFlags.HighAtomic | AllocFlags.Oom)) != 0 && (zone.OrdersWithHighAtomic & fromOrder) != 0;
    }
}
