namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Zones: GFP_DMA allocations come from ZONE_DMA (the first 16 MiB), ordinary kernel ones from Normal first.
/// Config: a stream's gfp; outputs: vmstat pgalloc_dma / pgalloc_normal, zoneinfo per zone.
/// </summary>
public sealed class ZoneTests : NumaSimTestKit
{
    [Fact]
    public async Task Gfp_dma_takes_pages_from_the_dma_zone_and_gfp_kernel_from_normal()
    {
        var run = await RunAsync(Machines.TwoNodes()
            .WithStream("0", 100, "1us", null, new AllocationMix(1, 0, "GFP_KERNEL|GFP_DMA", null))
            .WithStream("1", 100, "1us", null, new AllocationMix(1, 0, "GFP_KERNEL", null)));

        Assert.Equal(100, run.Vmstat("pgalloc_dma"));
        Assert.Equal(100, run.Vmstat("pgalloc_normal"));
        // The DMA zone is node 0's; its numa_hit counts the DMA pages (the per-CPU list took a batch at once).
        Assert.True(run.Zoneinfo(0, ZoneType.Dma, "numa_hit") >= 100);
        Assert.True(run.Zoneinfo(0, ZoneType.Dma, "pages free") < run.Zoneinfo(0, ZoneType.Dma, "managed"));
    }
}
