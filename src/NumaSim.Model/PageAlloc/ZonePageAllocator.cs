using NumaSim.Model.Snapshots;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The zone's side of allocation: the exact watermark check, then the buddy allocator. What a
/// ZoneActor wraps, and what the single-threaded <see cref="PageAllocatorMachine"/> calls directly.
/// </summary>
public sealed class ZonePageAllocator
{
    private readonly List<long> _granted = [];

    /// <param name="setup">The zone's boot-time constants.</param>
    /// <param name="arch">The architecture (orders, pageblock size).</param>
    /// <param name="watermarkBoostFactor">vm.watermark_boost_factor: how far a fallback may boost the watermarks.</param>
    public ZonePageAllocator(ZoneSetup setup, Topology.Architecture arch, int watermarkBoostFactor = BuddyZone.DefaultWatermarkBoostFactor)
    {
        Setup = setup;
        Buddy = new BuddyZone(setup.Spec, arch)
        {
            MaxWatermarkBoost = BuddyZone.MaxBoost(setup.Watermarks.High, watermarkBoostFactor, setup.Spec.Managed, arch.PageblockOrder),
        };
    }

    public ZoneSetup Setup { get; }

    public BuddyZone Buddy { get; }

    public ZoneFreeView View => new(
        Buddy.FreePages, Buddy.OrdersWithFreeBlocks, Buddy.OrdersWithHighAtomic, Buddy.ReservedHighAtomic, ReclaimFreed,
        Buddy.WatermarkBoost, Buddy.WatermarkBoostRaised, ReclaimActive);

    /// <summary>Pages reclaim freed here (<see cref="FreeReclaimed"/>).</summary>
    public long ReclaimFreed { get; private set; }

    /// <summary>ZONE_RECLAIM_ACTIVE: the node's kswapd is in balance_pgdat (CPUs keep their lists small meanwhile).</summary>
    public bool ReclaimActive { get; set; }

    /// <summary>
    /// rmqueue past the zone's watermark check: a per-CPU order refills its list (rmqueue_bulk) and, when that finds
    /// nothing, takes one block as rmqueue_buddy does. A high-order atomic request that got a block reserves its
    /// pageblock (reserve_highatomic_pageblock). The blocks granted (empty when refused); the list is reused by the
    /// next call.
    /// </summary>
    public IReadOnlyList<long> Serve(ZoneRequest request)
    {
        _granted.Clear();
        if (!WatermarkCheck.Fast(View, request.Order, Setup, request.HighestZoneIdx, request.Flags))
        {
            return _granted;
        }
        if (request.Order <= PerCpuPages.CostlyOrder || request.Order == Buddy.PageblockOrder)
        {
            Buddy.AllocateBulk(request.Order, request.Type, request.Count, _granted, request.Flags);
        }
        if (_granted.Count == 0)
        {
            var pfn = RmqueueBuddy(request.Order, request.Type, request.Flags);
            if (pfn < 0)
            {
                return _granted;
            }
            _granted.Add(pfn);
        }
        if ((request.Flags & AllocFlags.HighAtomic) != 0)
        {
            Buddy.ReserveHighAtomic(_granted[0], request.Order);
        }
        return _granted;
    }

    /// <summary>
    /// rmqueue's end: whether the allocation just served left the zone boosted for an allocation that may wake kswapd
    /// (ZONE_BOOSTED_WATERMARK, cleared here): the caller then wakes the node's kswapd for order 0 and this zone.
    /// </summary>
    public bool TakeBoostedWatermark() => Buddy.TakeBoostedWatermark();

    /// <summary>balance_pgdat's end: the boost kswapd saw at its start comes off the watermarks.</summary>
    public void ClearWatermarkBoost(long seen) => Buddy.ClearWatermarkBoost(seen);

    /// <summary>reserve_highatomic_pageblock for a block a CPU took from its own list for a high-order atomic request.</summary>
    public void ReserveHighAtomic(long pfn, int order) => Buddy.ReserveHighAtomic(pfn, order);

    /// <summary>unreserve_highatomic_pageblock for this zone, the pages going to <paramref name="type"/>.</summary>
    public bool UnreserveHighAtomic(bool force, MigrateType type) => Buddy.UnreserveHighAtomic(force, type);

    // rmqueue_buddy: a high-order atomic request tries the reserve first; a request that may not block (or the OOM
    // killer's) falls back to it, as failing now is worse than failing a high-order atomic allocation later.
    private long RmqueueBuddy(int order, MigrateType type, AllocFlags flags)
    {
        var pfn = (flags & AllocFlags.HighAtomic) != 0 ? Buddy.AllocateHighAtomic(order, type) : -1;
        if (pfn < 0)
        {
            pfn = Buddy.Allocate(order, type, flags);
        }
        if (pfn < 0 && (flags & (AllocFlags.Oom | AllocFlags.NonBlock)) != 0)
        {
            pfn = Buddy.AllocateHighAtomic(order, type);
        }
        return pfn;
    }

    /// <summary>
    /// Fault injection: every block on the zone's free lists is taken, as if something outside the workload had
    /// allocated them all (or the memory went offline), and never given back. Pages already on CPUs' per-CPU
    /// lists stay there. Returns the pages taken.
    /// </summary>
    public long Exhaust()
    {
        long taken = 0;
        for (var order = Buddy.MaxOrder; order >= 0; order--)
        {
            for (var t = 0; t < MigrateTypes.Count; t++)
            {
                while (Buddy.FreeBlocks(order, (MigrateType)t) > 0 && Buddy.Allocate(order, (MigrateType)t) >= 0)
                {
                    taken += 1L << order;
                }
            }
        }
        return taken;
    }

    /// <summary>split_page: an allocated block becomes 2^order allocated base pages (a huge folio was split).</summary>
    public bool SplitPage(long pfn, int order) => Buddy.SplitPage(pfn, order);

    /// <summary>Frees blocks; false if any was not an allocated block of that order (the rest still free).</summary>
    public bool Free(IEnumerable<(long Pfn, int Order)> blocks)
    {
        var ok = true;
        foreach (var (pfn, order) in blocks)
        {
            ok &= Buddy.Free(pfn, order);
        }
        return ok;
    }

    /// <summary>Order-0 pages reclaim took off the LRU, back to the buddy lists.</summary>
    public bool FreeReclaimed(IReadOnlyList<long> pfns, int order = 0)
    {
        var ok = true;
        foreach (var pfn in pfns)
        {
            ok &= Buddy.Free(pfn, order);
        }
        ReclaimFreed += (long)pfns.Count << order;
        return ok;
    }

    /// <summary>The zone's state without the per-CPU parts (pagesets, NUMA events), which CPUs own.</summary>
    public ZoneSnapshot Snapshot()
    {
        var freeBlocks = new long[MigrateTypes.Count][];
        for (var t = 0; t < MigrateTypes.Count; t++)
        {
            freeBlocks[t] = new long[Buddy.Orders];
            for (var o = 0; o < Buddy.Orders; o++)
            {
                freeBlocks[t][o] = Buddy.FreeBlocks(o, (MigrateType)t);
            }
        }
        return new ZoneSnapshot(
            Setup.Node,
            Setup.Spec,
            Buddy.FreePages,
            Buddy.FreePagesInPageblocks,
            Setup.Watermarks with { Boost = Buddy.WatermarkBoost },
            Setup.LowmemReserve,
            freeBlocks,
            Buddy.PageblocksByType(),
            NumaEvents.Zero,
            [],
            Setup.StatThreshold,
            Setup.Spec.Managed - Buddy.FreePages);
    }
}
