using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>
/// nr_pcp_high under ZONE_RECLAIM_ACTIVE (mm/page_alloc.c, 6.12): while kswapd balances the zone's node, a free
/// lowers pcp->high by max(free_count, batch) towards high_min and drains once the list holds four batches.
/// </summary>
public sealed class PcpReclaimActiveTests
{
    // batch 31, high_min 124, high_max 1000; five order-0 refills (31, 62, 124, 248, 496) raise high to 1000.
    private static PerCpuPages GrownList()
    {
        var pcp = new PerCpuPages(31, 124, 1000, 9);
        for (var i = 0; i < 5; i++)
        {
            pcp.RefillCount(0);
        }
        Assert.Equal(1000, pcp.High);
        return pcp;
    }

    [Fact]
    public void Without_kswapd_two_hundred_frees_stay_on_the_list()
    {
        var pcp = GrownList();
        var drained = new List<(long Pfn, int Order)>();
        for (var pfn = 0L; pfn < 200; pfn++)
        {
            pcp.Free(pfn, 0, MigrateType.Movable, drained);
        }
        Assert.Empty(drained);
        Assert.Equal(200, pcp.Count);
        Assert.Equal(1000, pcp.High);
    }

    [Fact]
    public void While_kswapd_runs_high_falls_to_high_min_and_the_124th_free_drains_93_pages()
    {
        var pcp = GrownList();
        var drained = new List<(long Pfn, int Order)>();
        for (var pfn = 0L; pfn < 123; pfn++)
        {
            pcp.Free(pfn, 0, MigrateType.Movable, drained, reclaimActive: true);
        }
        // Each of the first 28 frees takes 31 off high (1000 - 28 x 31 = 132); the 29th reaches high_min.
        Assert.Empty(drained);
        Assert.Equal(124, pcp.High);

        pcp.Free(123, 0, MigrateType.Movable, drained, reclaimActive: true);

        // 124 pages >= min(batch << 2, high) = 124: nr_pcp_free = clamp(free_count 124, batch 31, high - batch 93).
        Assert.Equal(93, drained.Count);
        Assert.Equal(31, pcp.Count);
    }

    [Fact]
    public void A_zone_shows_reclaim_active_in_its_view_and_the_machine_frees_through_it()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(262144));
        var zone = ZoneIndex.Of(0, ZoneType.Normal);
        var pages = new List<long>();
        var request = new AllocationRequest(0, Gfp.HighUserMovable, MemPolicy.Default);
        for (var i = 0; i < 2000; i++)
        {
            pages.Add(machine.Allocate(0, request).Pfn);
        }
        var free = machine.Zone(zone).Buddy.FreePages;
        machine.Zone(zone).ReclaimActive = true;
        Assert.True(machine.Zone(zone).View.ReclaimActive);

        foreach (var pfn in pages)
        {
            machine.Free(0, zone, pfn, 0, MigrateType.Movable);
        }

        // The CPU keeps at most four batches (plus the list's leftovers below a drain): the rest is back in the zone.
        var pcp = machine.Cpu(0).Pcp(zone);
        Assert.True(pcp.Count < 4 * pcp.Batch, $"pcp holds {pcp.Count}");
        Assert.Equal(pcp.HighMin, pcp.High);
        Assert.True(machine.Zone(zone).Buddy.FreePages > free + 2000 - 4 * pcp.Batch);
    }
}
