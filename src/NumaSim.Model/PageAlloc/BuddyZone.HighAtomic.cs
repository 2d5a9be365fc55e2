namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The highatomic reserve (mm/page_alloc.c, 6.12): a high-order allocation that may not sleep claims its pageblock
/// as MIGRATE_HIGHATOMIC, up to about 1% of the zone, so later atomic high-order requests find a block; the
/// reserve is given back to the allocating type when an allocation is about to fail under pressure.
/// </summary>
public sealed partial class BuddyZone
{
    /// <summary>zone->nr_reserved_highatomic: pages in pageblocks reserved for high-order atomic allocations.</summary>
    public long ReservedHighAtomic { get; private set; }

    /// <summary>Bit o set when a block of order o is free on the HighAtomic list.</summary>
    public int OrdersWithHighAtomic
    {
        get
        {
            var mask = 0;
            for (var o = 0; o <= MaxOrder; o++)
            {
                if (_freeCount[Slot(o, MigrateType.HighAtomic)] > 0)
                {
                    mask |= 1 << o;
                }
            }
            return mask;
        }
    }

    /// <summary>__rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC) for a request of <paramref name="type"/>, or -1.</summary>
    public long AllocateHighAtomic(int order, MigrateType type)
    {
        var pfn = RemoveSmallest(order, MigrateType.HighAtomic);
        if (pfn >= 0)
        {
            State(pfn) = (byte)(AllocFlag | order | ((int)type << TypeShift));
        }
        return pfn;
    }

    /// <summary>
    /// reserve_highatomic_pageblock: the pageblock(s) of the block just allocated at <paramref name="pfn"/> become
    /// HighAtomic, unless 1% of the zone is under a pageblock, the reserve already holds that 1% (rounded up to a
    /// pageblock), the block is not of a mergeable type, or its pageblock crosses the zone's edge.
    /// </summary>
    public void ReserveHighAtomic(long pfn, int order)
    {
        var pageblockPages = 1L << PageblockOrder;
        var onePercent = ManagedPages / 100;
        if (onePercent < pageblockPages)
        {
            return;
        }
        var maxManaged = (onePercent + pageblockPages - 1) & ~(pageblockPages - 1);
        if (ReservedHighAtomic >= maxManaged || !IsMergeable(PageblockType(pfn)))
        {
            return;
        }
        if (order < PageblockOrder)
        {
            if (!PageblockInZone(pfn))
            {
                return;
            }
            MoveFreePagesBlock(pfn, MigrateType.HighAtomic, out _);
            SetPageblockRange(pfn, PageblockOrder, MigrateType.HighAtomic);
            ReservedHighAtomic += pageblockPages;
        }
        else
        {
            SetPageblockRange(pfn, order, MigrateType.HighAtomic);
            ReservedHighAtomic += 1L << order;
        }
    }

    /// <summary>
    /// unreserve_highatomic_pageblock for this zone: the pageblock of the smallest free HighAtomic block goes to
    /// <paramref name="type"/> with its free pages. Without <paramref name="force"/> one pageblock is kept.
    /// True when pages moved.
    /// </summary>
    public bool UnreserveHighAtomic(bool force, MigrateType type)
    {
        var pageblockPages = 1L << PageblockOrder;
        if (!force && ReservedHighAtomic <= pageblockPages)
        {
            return false;
        }
        for (var order = 0; order <= MaxOrder; order++)
        {
            var slot = Slot(order, MigrateType.HighAtomic);
            if (_freeCount[slot] == 0)
            {
                continue;
            }
            var pfn = _base + (_freeLists[slot]!.FindFirst() << order);
            if (PageblockType(pfn) == MigrateType.HighAtomic)
            {
                ReservedHighAtomic -= Math.Min(Math.Max(pageblockPages, 1L << order), ReservedHighAtomic);
            }
            if (order < PageblockOrder)
            {
                MoveFreePagesBlock(pfn, type, out _);
                SetPageblockRange(pfn, PageblockOrder, type);
            }
            else
            {
                MoveToFreeList(pfn, order, MigrateType.HighAtomic, type);
                SetPageblockRange(pfn, order, type);
            }
            return true;
        }
        return false;
    }

    /// <summary>prep_move_freepages_block: a pageblock that crosses the zone's edge is never claimed whole.</summary>
    private bool PageblockInZone(long pfn)
    {
        var blockStart = pfn & ~((1L << PageblockOrder) - 1);
        return blockStart >= Spec.StartPfn && blockStart + (1L << PageblockOrder) <= Spec.EndPfn;
    }
}
