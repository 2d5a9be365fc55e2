using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>
/// The highatomic reserve (reserve_highatomic_pageblock, unreserve_highatomic_pageblock): on 1 GiB nodes 1% of a
/// zone is 2621 pages, which rounds up to 6 pageblocks of 512.
/// </summary>
public sealed class HighAtomicReserveTests
{
    private const long NodePages = 262144;
    private static readonly int Zone0 = ZoneIndex.Of(0, ZoneType.Normal);

    private static ZoneRequest Atomic(int order, AllocFlags flags) => new(Zone0, order, MigrateType.Unmovable, 1, flags, (int)ZoneType.Normal);

    private static ZoneRequest SlowAtomic(int order) => Atomic(order, AllocFlagsFor.SlowPath(Gfp.Atomic, order));

    private static long HighAtomicBlocks(ZonePageAllocator zone) => zone.Buddy.PageblocksByType()[(int)MigrateType.HighAtomic];

    [Fact]
    public void A_high_order_atomic_allocation_in_the_slow_path_reserves_its_pageblock()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(NodePages)).Zone(Zone0);
        var free = zone.Buddy.FreePages;

        var pfn = zone.Serve(SlowAtomic(3))[0];

        Assert.Equal(MigrateType.HighAtomic, zone.Buddy.PageblockType(pfn));
        Assert.Equal(512, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(1, HighAtomicBlocks(zone));
        // The pageblock's other free pages moved to the HighAtomic lists with it.
        Assert.Equal(512 - 8, Enumerable.Range(0, zone.Buddy.Orders).Sum(o => zone.Buddy.FreeBlocks(o, MigrateType.HighAtomic) << o));
        Assert.Equal(free - 8, zone.Buddy.FreePages);
        Assert.Equal(512, zone.View.ReservedHighAtomic);
    }

    [Fact]
    public void The_fast_path_an_order_0_atomic_and_a_sleeping_request_reserve_nothing()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(NodePages)).Zone(Zone0);
        zone.Serve(Atomic(3, AllocFlagsFor.FastPath(Gfp.Atomic)));
        zone.Serve(SlowAtomic(0));
        zone.Serve(Atomic(3, AllocFlagsFor.SlowPath(Gfp.Kernel, 3)));
        Assert.Equal(0, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(0, HighAtomicBlocks(zone));
    }

    [Fact]
    public void The_reserve_stops_at_one_percent_of_the_zone_rounded_up_to_a_pageblock()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(NodePages)).Zone(Zone0);
        for (var i = 0; i < 20; i++)
        {
            // Order 9: each takes a whole pageblock, so each would reserve a new one.
            Assert.NotEmpty(zone.Serve(SlowAtomic(9)));
        }
        Assert.Equal(6 * 512, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(6, HighAtomicBlocks(zone));
    }

    [Fact]
    public void A_zone_whose_one_percent_is_under_a_pageblock_reserves_nothing()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(8192)).Zone(Zone0);
        zone.Serve(SlowAtomic(3));
        Assert.Equal(0, zone.Buddy.ReservedHighAtomic);
    }

    [Fact]
    public void The_reserve_serves_high_order_atomic_requests_first_and_other_requests_do_not_count_it_free()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(NodePages)).Zone(Zone0);
        var first = zone.Serve(SlowAtomic(4))[0];
        // rmqueue_buddy: ALLOC_HIGHATOMIC takes the smallest HighAtomic block first: the next 16 pages of the block.
        Assert.Equal(first + 16, zone.Serve(SlowAtomic(4))[0]);
        // A GFP_KERNEL request's watermark check takes the reserve off the free pages; an atomic one's does not.
        var view = zone.View;
        var mark = view.FreePages - 100;
        Assert.False(WatermarkCheck.Ok(view, 0, mark, [0, 0, 0, 0, 0], (int)ZoneType.Normal, AllocFlagsFor.SlowPath(Gfp.Kernel, 0)));
        Assert.True(WatermarkCheck.Ok(view, 0, mark, [0, 0, 0, 0, 0], (int)ZoneType.Normal, AllocFlagsFor.SlowPath(Gfp.Atomic, 0)));
    }

    [Fact]
    public void Unreserving_keeps_the_last_pageblock_unless_forced()
    {
        var zone = new PageAllocatorMachine(Machines.TwoNodeNormal(NodePages)).Zone(Zone0);
        zone.Serve(SlowAtomic(3));
        // The first pageblock's free pages are HighAtomic now, so the next movable order-3 block comes from another.
        zone.Serve(SlowAtomic(3) with { Type = MigrateType.Movable });
        Assert.Equal(2, HighAtomicBlocks(zone));

        Assert.True(zone.UnreserveHighAtomic(force: false, MigrateType.Movable));
        Assert.Equal(512, zone.Buddy.ReservedHighAtomic);
        Assert.False(zone.UnreserveHighAtomic(force: false, MigrateType.Movable));
        Assert.True(zone.UnreserveHighAtomic(force: true, MigrateType.Movable));
        Assert.Equal(0, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(0, HighAtomicBlocks(zone));
        Assert.Equal(0, zone.Buddy.OrdersWithHighAtomic);
        Assert.False(zone.UnreserveHighAtomic(force: true, MigrateType.Movable));
    }
}
