namespace NumaSim.Model.PageAlloc;

/// <summary>Migratetype fallback: __rmqueue_fallback and steal_suitable_fallback (Linux 6.6 rules).</summary>
public sealed partial class BuddyZone
{
    private static readonly MigrateType[][] Fallbacks =
    [
        [MigrateType.Reclaimable, MigrateType.Movable],   // Unmovable
        [MigrateType.Reclaimable, MigrateType.Unmovable], // Movable
        [MigrateType.Unmovable, MigrateType.Movable],     // Reclaimable
    ];

    /// <summary>Pageblocks whose type changed by stealing (counted for the "fallback" statistics).</summary>
    public long PageblocksStolen { get; private set; }

    /// <summary>Allocations served from another migratetype's free list (mm_page_alloc_extfrag events).</summary>
    public long ExternalFragmentationEvents { get; private set; }

    private bool CanStealFallback(int order, MigrateType start) =>
        order >= PageblockOrder
        || order >= PageblockOrder / 2
        || start == MigrateType.Reclaimable
        || start == MigrateType.Unmovable;

    private MigrateType? FindSuitableFallback(int order, MigrateType start, out bool canSteal)
    {
        canSteal = false;
        foreach (var fallback in Fallbacks[(int)start])
        {
            if (_freeCount[Slot(order, fallback)] == 0)
            {
                continue;
            }
            canSteal = CanStealFallback(order, start);
            return fallback;
        }
        return null;
    }

    /// <summary>
    /// Take the largest free block of a fallback type (it approximates the pageblock with the most
    /// free pages); a movable request that may not steal the whole block takes the smallest
    /// instead, to fragment less. The found block moves to the start type's lists.
    /// </summary>
    private bool StealFallback(int order, MigrateType start, AllocFlags flags)
    {
        for (var current = MaxOrder; current >= order; current--)
        {
            var fallback = FindSuitableFallback(current, start, out var canSteal);
            if (fallback is null)
            {
                continue;
            }
            if (!canSteal && start == MigrateType.Movable && current > order)
            {
                for (current = order; current <= MaxOrder; current++)
                {
                    fallback = FindSuitableFallback(current, start, out canSteal);
                    if (fallback is not null)
                    {
                        break;
                    }
                }
            }
            var pfn = _base + (_freeLists[Slot(current, fallback!.Value)]!.FindFirst() << current);
            StealSuitableFallback(pfn, current, fallback.Value, start, canSteal, flags);
            ExternalFragmentationEvents++;
            return true;
        }
        return false;
    }

    private void StealSuitableFallback(long pfn, int order, MigrateType listType, MigrateType start, bool wholeBlock, AllocFlags flags)
    {
        var oldBlockType = PageblockType(pfn);
        if (oldBlockType == MigrateType.HighAtomic)
        {
            MoveToFreeList(pfn, order, listType, start);
            return;
        }
        if (order >= PageblockOrder)
        {
            SetPageblockRange(pfn, order, start);
            PageblocksStolen += 1L << (order - PageblockOrder);
            MoveToFreeList(pfn, order, listType, start);
            return;
        }
        BoostWatermark(flags);
        if (!wholeBlock)
        {
            MoveToFreeList(pfn, order, listType, start);
            return;
        }
        if (!PageblockInZone(pfn))
        {
            MoveToFreeList(pfn, order, listType, start);
            return;
        }
        var freePages = MoveFreePagesBlock(pfn, start, out var movablePages);
        int alikePages;
        if (start == MigrateType.Movable)
        {
            alikePages = movablePages;
        }
        else
        {
            alikePages = oldBlockType == MigrateType.Movable ? (1 << PageblockOrder) - (freePages + movablePages) : 0;
        }
        if (freePages + alikePages >= 1 << (PageblockOrder - 1))
        {
            SetPageblockRange(pfn, PageblockOrder, start);
            PageblocksStolen++;
        }
    }

    private void MoveToFreeList(long pfn, int order, MigrateType from, MigrateType to)
    {
        DeleteFromFreeList(pfn, order, from);
        AddToFreeList(pfn, order, to);
    }

    /// <summary>move_freepages_block: every free block of the pageblock to the new type's lists.</summary>
    private int MoveFreePagesBlock(long pfn, MigrateType to, out int movablePages)
    {
        var start = pfn & ~((1L << PageblockOrder) - 1);
        var end = start + (1L << PageblockOrder);
        var freePages = 0;
        movablePages = 0;
        for (var p = start; p < end;)
        {
            var s = State(p);
            var head = s & Reserved;
            if (head == FreeFlag)
            {
                var order = s & OrderMask;
                var from = FreeListType(p);
                if (from != to)
                {
                    MoveToFreeList(p, order, from, to);
                }
                freePages += 1 << order;
                p += 1L << order;
            }
            else if (head == AllocFlag)
            {
                var order = s & OrderMask;
                if ((MigrateType)((s >> TypeShift) & 0x3) == MigrateType.Movable)
                {
                    movablePages += 1 << order;
                }
                p += 1L << order;
            }
            else
            {
                p++;
            }
        }
        return freePages;
    }
}
