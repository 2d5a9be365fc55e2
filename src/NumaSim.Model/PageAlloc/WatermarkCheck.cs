namespace NumaSim.Model.PageAlloc;

/// <summary>
/// What a watermark check needs to know of a zone: exact in the zone, a window-old copy elsewhere.
/// <paramref name="ReclaimFreed"/> counts the pages reclaim has freed to the zone so far, so that a reclaimer
/// holding a window-old copy knows which of its own frees the copy already shows. <paramref name="WatermarkBoost"/>
/// is zone->watermark_boost (every watermark check adds it), <paramref name="WatermarkBoostRaised"/> all the boost
/// the zone ever added (kswapd, which takes boosts back, knows from it what a copy misses), and
/// <paramref name="ReclaimActive"/> is ZONE_RECLAIM_ACTIVE (kswapd is balancing the zone's node).
/// </summary>
public readonly record struct ZoneFreeView(
    long FreePages,
    int OrdersWithFreeBlocks,
    int OrdersWithHighAtomic,
    long ReservedHighAtomic,
    long ReclaimFreed = 0,
    long WatermarkBoost = 0,
    long WatermarkBoostRaised = 0,
    bool ReclaimActive = false);

/// <summary>__zone_watermark_ok from mm/page_alloc.c.</summary>
public static class WatermarkCheck
{
    /// <summary>wmark_pages(): the zone's watermark of this kind with its current boost.</summary>
    public static long Mark(ZoneSetup zone, ZoneFreeView view, WatermarkKind kind) => zone.Watermarks.Get(kind) + view.WatermarkBoost;

    /// <summary>
    /// zone_watermark_fast as get_page_from_freelist uses it: the request's watermark with the boost, except that an
    /// order-0 __GFP_HIGH request at the min watermark ignores the boost (kswapd is woken below low, not below a
    /// boosted min).
    /// </summary>
    public static bool Fast(ZoneFreeView view, int order, ZoneSetup zone, int highestZoneIdx, AllocFlags flags)
    {
        var kind = AllocFlagsFor.Watermark(flags);
        if (Ok(view, order, Mark(zone, view, kind), zone.LowmemReserve, highestZoneIdx, flags))
        {
            return true;
        }
        return order == 0 && (flags & AllocFlags.MinReserve) != 0 && view.WatermarkBoost != 0 && kind == WatermarkKind.Min
            && Ok(view, order, zone.Watermarks.Get(WatermarkKind.Min), zone.LowmemReserve, highestZoneIdx, flags);
    }

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
