using NumaSim.Model.Snapshots;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The zone's side of allocation: the exact watermark check, then the buddy allocator. What a
/// ZoneActor wraps, and what the single-threaded <see cref="PageAllocatorMachine"/> calls directly.
/// </summary>
public sealed class ZonePageAllocator
{
    private readonly List<long> _granted = [];

    public ZonePageAllocator(ZoneSetup setup, Topology.Architecture arch)
    {
        Setup = setup;
        Buddy = new BuddyZone(setup.Spec, arch);
    }

    public ZoneSetup Setup { get; }

    public BuddyZone Buddy { get; }

    public ZoneFreeView View => new(Buddy.FreePages, Buddy.OrdersWithFreeBlocks, 0, 0, ReclaimFreed);

    /// <summary>Pages reclaim freed here (<see cref="FreeReclaimed"/>).</summary>
    public long ReclaimFreed { get; private set; }

    /// <summary>The blocks granted (empty when refused). The list is reused by the next call.</summary>
    public IReadOnlyList<long> Serve(ZoneRequest request)
    {
        _granted.Clear();
        var mark = Setup.Watermarks.Get(AllocFlagsFor.Watermark(request.Flags));
        if (WatermarkCheck.Ok(View, request.Order, mark, Setup.LowmemReserve, request.HighestZoneIdx, request.Flags))
        {
            Buddy.AllocateBulk(request.Order, request.Type, request.Count, _granted);
        }
        return _granted;
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
    public bool FreeReclaimed(IReadOnlyList<long> pfns)
    {
        var ok = true;
        foreach (var pfn in pfns)
        {
            ok &= Buddy.Free(pfn, 0);
        }
        ReclaimFreed += pfns.Count;
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
            Setup.Watermarks,
            Setup.LowmemReserve,
            freeBlocks,
            Buddy.PageblocksByType(),
            NumaEvents.Zero,
            [],
            Setup.StatThreshold,
            Setup.Spec.Managed - Buddy.FreePages);
    }
}
