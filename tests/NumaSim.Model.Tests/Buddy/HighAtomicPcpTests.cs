using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>
/// get_page_from_freelist reserves a highatomic pageblock after rmqueue whichever way rmqueue found the page: a
/// high-order atomic request in the slow path served from the CPU's own order-3 list reserves too.
/// </summary>
public sealed class HighAtomicPcpTests
{
    private static readonly int Zone0 = ZoneIndex.Of(0, ZoneType.Normal);

    [Fact]
    public void A_slow_path_atomic_order_3_page_from_the_cpus_list_reserves_its_pageblock()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(262144));
        var zone = machine.Zone(Zone0);
        var bind0 = new MemPolicy(MemPolicyMode.Bind, [0]);
        // CPU 0's order-3 unmovable list gets a refill of 7 blocks (batch 63 >> 3) and keeps 6.
        Assert.True(machine.Allocate(0, new AllocationRequest(3, Gfp.Kernel, bind0)).Pfn >= 0);
        Assert.Equal(6 * 8, machine.Cpu(0).Pcp(Zone0).Count);
        // CPU 1 fills node 0 down to its min watermark: the fast path's low check fails from now on.
        while (machine.Allocate(1, new AllocationRequest(0, Gfp.HighUserMovable, bind0)).Pfn >= 0)
        {
        }
        Assert.Equal(0, zone.Buddy.ReservedHighAtomic);

        var (pfn, served) = machine.Allocate(0, new AllocationRequest(3, Gfp.Atomic, bind0));

        Assert.Equal(Zone0, served);
        Assert.Equal(5 * 8, machine.Cpu(0).Pcp(Zone0).Count);
        Assert.Equal(512, zone.Buddy.ReservedHighAtomic);
        Assert.Equal(MigrateType.HighAtomic, zone.Buddy.PageblockType(pfn));
    }

    [Fact]
    public void The_step_asks_for_the_reserve_only_for_a_high_order_atomic_request_in_the_slow_path()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(262144));
        var bind0 = new MemPolicy(MemPolicyMode.Bind, [0]);
        machine.Allocate(0, new AllocationRequest(3, Gfp.Kernel, bind0));
        var plenty = machine.Zone(Zone0).View;
        var atLow = plenty with { FreePages = machine.Setup.Zone(Zone0).Watermarks.Low };

        Assert.False(machine.Cpu(0).Begin(new AllocationRequest(3, Gfp.Atomic, bind0), _ => plenty).ReserveHighAtomic);
        Assert.True(machine.Cpu(0).Begin(new AllocationRequest(3, Gfp.Atomic, bind0), _ => atLow).ReserveHighAtomic);
    }
}
