using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>per_cpu_pages refill (nr_pcp_alloc) and drain (free_unref_page_commit, nr_pcp_free, free_pcppages_bulk).</summary>
public sealed class PerCpuPagesTests
{
    private const int ThpOrder = 9;

    [Theory]
    [InlineData(0, 63)]
    [InlineData(1, 31)]
    [InlineData(2, 15)]
    [InlineData(3, 7)]
    [InlineData(9, 2)]
    public void Refill_takes_batch_blocks_at_order_0_and_batch_shifted_by_the_order_but_at_least_2_above(int order, int expected) =>
        Assert.Equal(expected, new PerCpuPages(63, 3921, 28672, ThpOrder).RefillCount(order));

    [Fact]
    public void Refill_takes_one_block_when_high_is_below_batch()
    {
        var pcp = new PerCpuPages(63, 10, 10, ThpOrder);
        Assert.Equal(1, pcp.RefillCount(0));
        Assert.Equal(1, pcp.RefillCount(3));
    }

    [Fact]
    public void Refill_of_a_batch_1_zone_takes_one_block_at_every_order()
    {
        // The reference DMA zone: batch 1, high_min 32. nr_pcp_alloc: "if (batch > 1) batch = max(batch >> order, 2);"
        var pcp = new PerCpuPages(1, 32, 240, ThpOrder);
        Assert.Equal(1, pcp.RefillCount(0));
        Assert.Equal(1, pcp.RefillCount(1));
        Assert.Equal(1, pcp.RefillCount(3));
    }

    [Fact]
    public void An_order_1_dma_allocation_leaves_nothing_on_the_batch_1_pcp_list()
    {
        var machine = new PageAllocatorMachine(Machines.OneNodeThreeZones());
        var dma = ZoneIndex.Of(0, ZoneType.Dma);
        Assert.Equal(1, machine.Setup.Zone(dma).PcpBatch);
        Assert.Equal(dma, machine.Allocate(0, new AllocationRequest(1, Gfp.Kernel | Gfp.Dma, MemPolicy.Default)).Zone);
        Assert.Equal(0, machine.Cpu(0).Pcp(dma).Count);
        Assert.Equal(3840 - 2, machine.Zone(dma).Buddy.FreePages);
    }

    [Fact]
    public void Refill_of_order_0_through_the_machine_puts_batch_minus_one_pages_on_the_pcp_list()
    {
        // 65536 pages: b = (65536 >> 10) / 4 = 16, batch = rounddown_pow_of_two(16 + 8) - 1 = 15.
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(65536));
        var zone = ZoneIndex.Of(0, ZoneType.Normal);
        var batch = machine.Setup.Zone(zone).PcpBatch;
        Assert.Equal(15, batch);
        machine.Allocate(0, new AllocationRequest(0, Gfp.Kernel, MemPolicy.Default));
        Assert.Equal(batch - 1, machine.Cpu(0).Pcp(zone).Count);
        Assert.Equal(65536 - batch, machine.Zone(zone).Buddy.FreePages);
        // The next order-0 allocations of the same migratetype come from the list without touching the buddy lists.
        machine.Allocate(0, new AllocationRequest(0, Gfp.Kernel, MemPolicy.Default));
        Assert.Equal(batch - 2, machine.Cpu(0).Pcp(zone).Count);
        Assert.Equal(65536 - batch, machine.Zone(zone).Buddy.FreePages);
    }

    [Fact]
    public void Freeing_up_to_high_drains_the_coldest_pages_first_and_leaves_the_count_below_high()
    {
        const int batch = 4, high = 16;
        var pcp = new PerCpuPages(batch, high, 64, ThpOrder);
        var drained = new List<(long Pfn, int Order)>();
        for (var i = 0; i < high - 1; i++)
        {
            pcp.Free(100 + i, 0, MigrateType.Movable, drained);
        }
        Assert.Empty(drained);
        Assert.Equal(high - 1, pcp.Count);

        pcp.Free(100 + high - 1, 0, MigrateType.Movable, drained);
        // nr_pcp_free: clamp(free_count = 16, batch = 4, high - batch = 12) = 12 pages, oldest (tail) first.
        Assert.Equal(Enumerable.Range(100, 12).Select(p => ((long)p, 0)), drained);
        Assert.Equal(high - 12, pcp.Count);
        Assert.True(pcp.Count < high);
        // The hottest page is still there.
        Assert.True(pcp.TryTake(0, MigrateType.Movable, out var hot));
        Assert.Equal(100 + high - 1, hot);
    }

    [Fact]
    public void Drain_starts_with_the_list_of_the_freed_page_then_goes_round_robin()
    {
        var pcp = new PerCpuPages(4, 16, 64, ThpOrder);
        var drained = new List<(long Pfn, int Order)>();
        for (var i = 0; i < 8; i++)
        {
            pcp.Free(200 + i, 0, MigrateType.Unmovable, drained);
        }
        for (var i = 0; i < 8; i++)
        {
            pcp.Free(300 + i, 0, MigrateType.Movable, drained);
        }
        // 12 pages: the whole Movable order-0 list (8, coldest first), then round robin wraps to Unmovable order 0 (4).
        long[] expected = [300, 301, 302, 303, 304, 305, 306, 307, 200, 201, 202, 203];
        Assert.Equal(expected, drained.Select(d => d.Pfn));
        Assert.Equal(4, pcp.Count);
    }

    [Fact]
    public void Higher_orders_count_their_pages_against_high()
    {
        var pcp = new PerCpuPages(4, 16, 64, ThpOrder);
        var drained = new List<(long Pfn, int Order)>();
        pcp.Free(0, 3, MigrateType.Movable, drained);
        Assert.Equal(8, pcp.Count);
        Assert.Empty(drained);
        pcp.Free(8, 3, MigrateType.Movable, drained);
        // 16 pages >= high: free_count 16 clamped to 12 pages; one order-3 block is 8 pages, the loop takes two.
        Assert.Equal([(0L, 3), (8L, 3)], drained);
        Assert.Equal(0, pcp.Count);
    }

    [Fact]
    public void Thp_order_blocks_use_the_pcp_lists_and_costly_orders_do_not()
    {
        var pcp = new PerCpuPages(63, 3921, 28672, ThpOrder);
        Assert.True(pcp.Allows(0));
        Assert.True(pcp.Allows(3));
        Assert.False(pcp.Allows(4));
        Assert.False(pcp.Allows(8));
        Assert.True(pcp.Allows(ThpOrder));
        Assert.False(pcp.Allows(10));
    }

    [Fact]
    public void Drain_all_returns_every_block_and_empties_the_lists()
    {
        var pcp = new PerCpuPages(63, 3921, 28672, ThpOrder);
        var drained = new List<(long Pfn, int Order)>();
        pcp.AddRefill(0, MigrateType.Unmovable, [10, 11, 12]);
        pcp.AddRefill(2, MigrateType.Reclaimable, [16]);
        pcp.AddRefill(ThpOrder, MigrateType.Movable, [512]);
        Assert.Equal(3 + 4 + 512, pcp.Count);
        pcp.DrainAll(drained);
        Assert.Equal(0, pcp.Count);
        Assert.Equal([(10L, 0), (11L, 0), (12L, 0), (16L, 2), (512L, ThpOrder)], drained.OrderBy(d => d.Pfn));
    }
}
