using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>The slow path gives the highatomic reserve back under pressure, as __alloc_pages_slowpath does.</summary>
public sealed class HighAtomicSlowpathTests
{
    private static readonly int Zone0 = ZoneIndex.Of(0, ZoneType.Normal);

    /// <summary>Reclaim that reports <paramref name="progress"/> pages and never frees any; no OOM kill.</summary>
    private sealed class Pressure(long progress, long reclaimable) : ISlowpath
    {
        public int OomCalls { get; private set; }

        public void WakeKswapds(IReadOnlyList<int> nodes, int order, int highestZoneIdx)
        {
        }

        public long DirectReclaim(int cpu, IReadOnlyList<int> nodes, Gfp gfp, int order, int highestZoneIdx) => progress;

        public long Reclaimable(int zone) => reclaimable;

        public void NodeReclaim(int cpu, int node, Gfp gfp, int order, int highestZoneIdx)
        {
        }

        public bool OutOfMemory(int cpu, AllocationRequest request)
        {
            OomCalls++;
            return false;
        }
    }

    /// <summary>Two pageblocks of node 0 reserved by slow-path atomic order-3 allocations (the pages stay allocated).</summary>
    private static PageAllocatorMachine WithTwoReservedPageblocks(ISlowpath slowpath)
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(262144), slowpath);
        var zone = machine.Zone(Zone0);
        foreach (var type in new[] { MigrateType.Unmovable, MigrateType.Movable })
        {
            zone.Serve(new ZoneRequest(Zone0, 3, type, 1, AllocFlagsFor.SlowPath(Gfp.Atomic, 3), (int)ZoneType.Normal));
        }
        Assert.Equal(1024, zone.Buddy.ReservedHighAtomic);
        return machine;
    }

    private static int FillNode0(PageAllocatorMachine machine)
    {
        var bind0 = new AllocationRequest(0, Gfp.HighUserMovable, new MemPolicy(MemPolicyMode.Bind, [0]));
        var served = 0;
        while (machine.Allocate(0, bind0).Pfn >= 0)
        {
            served++;
        }
        return served;
    }

    [Fact]
    public void Direct_reclaim_with_progress_gives_back_all_but_the_last_pageblock_before_draining()
    {
        var kernel = new Pressure(progress: 1, reclaimable: 0);
        var machine = WithTwoReservedPageblocks(kernel);

        FillNode0(machine);

        Assert.Equal(512, machine.Zone(Zone0).Buddy.ReservedHighAtomic);
        Assert.Equal(1, kernel.OomCalls);
    }

    [Fact]
    public void Sixteen_rounds_without_progress_give_back_the_whole_reserve_before_the_oom_killer()
    {
        // Reclaim never progresses but the zone looks reclaimable, so should_reclaim_retry keeps going until it runs
        // out of rounds; then each round takes one reserved pageblock, and the allocations go on from its pages.
        var kernel = new Pressure(progress: 0, reclaimable: 1 << 20);
        var machine = WithTwoReservedPageblocks(kernel);
        var zone = machine.Zone(Zone0);

        FillNode0(machine);

        Assert.Equal(0, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(0, zone.Buddy.PageblocksByType()[(int)MigrateType.HighAtomic]);
        Assert.Equal(0, zone.Buddy.OrdersWithHighAtomic);
        Assert.Equal(1, kernel.OomCalls);
    }
}
