using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Watermarks;

/// <summary>The boot-time numbers of tests/data/reference/procfs-6.18/zoneinfo and buddyinfo (one node, CPUs 0-1).</summary>
public sealed class ReferenceMachineTests
{
    private static readonly PageAllocatorSetup Setup = new(Machines.Reference618());

    private static ZoneSetup Zone(ZoneType type) => Setup.Zone(ZoneIndex.Of(0, type));

    [Theory]
    [InlineData(ZoneType.Dma, 52, 65, 78, 91)]
    [InlineData(ZoneType.Dma32, 10569, 13211, 15853, 18495)]
    [InlineData(ZoneType.Normal, 6274, 7842, 9410, 10978)]
    public void Watermarks_match_the_reference_zoneinfo(ZoneType type, long min, long low, long high, long promo)
    {
        var wm = Zone(type).Watermarks;
        Assert.Equal((min, low, high, promo), (wm.Min, wm.Low, wm.High, wm.Promo));
    }

    [Fact]
    public void Min_free_kbytes_is_the_khugepaged_recommendation()
    {
        // 3 populated lowmem zones: 512 * 3 * 2 + 512 * 3 * 3 * 3 = 16896 pages = 67584 kB (above int_sqrt(lowmem_kb * 16) = 8891).
        Assert.Equal(67584, WatermarkSetup.MinFreeKbytes(Machines.Reference618()));
    }

    [Theory]
    [InlineData(ZoneType.Dma, new long[] { 0, 3018, 4810, 4810, 4810 })]
    [InlineData(ZoneType.Dma32, new long[] { 0, 0, 1792, 1792, 1792 })]
    [InlineData(ZoneType.Normal, new long[] { 0, 0, 0, 0, 0 })]
    public void Protection_arrays_match_the_reference_zoneinfo(ZoneType type, long[] protection) =>
        Assert.Equal(protection, Zone(type).LowmemReserve);

    [Theory]
    [InlineData(ZoneType.Dma, 1, 32, 240)]
    [InlineData(ZoneType.Dma32, 63, 6605, 48300)]
    [InlineData(ZoneType.Normal, 63, 3921, 28672)]
    public void Pcp_batch_high_min_and_high_max_match_the_reference_zoneinfo(ZoneType type, int batch, int highMin, int highMax)
    {
        var zone = Zone(type);
        Assert.Equal((batch, highMin, highMax), (zone.PcpBatch, zone.PcpHighMin, zone.PcpHighMax));
    }

    [Theory]
    [InlineData(ZoneType.Dma, 4)]
    [InlineData(ZoneType.Dma32, 24)]
    [InlineData(ZoneType.Normal, 20)]
    public void Vm_stats_thresholds_match_the_reference_zoneinfo(ZoneType type, int threshold) =>
        Assert.Equal(threshold, Zone(type).StatThreshold);

    [Fact]
    public void A_fresh_dma_zone_has_the_reference_buddyinfo()
    {
        var dma = new BuddyZone(Zone(ZoneType.Dma).Spec, Architecture.X86_64);
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3 }, Machines.BuddyInfo(dma));
        Assert.Equal(3840, dma.FreePages);
        // pagetypeinfo counts 8 pageblocks in the DMA zone (1 Unmovable + 7 Movable after boot-time allocations).
        Assert.Equal(8, dma.PageblocksByType().Sum());
    }

    [Fact]
    public void A_fresh_dma32_zone_has_the_reference_pageblock_count()
    {
        var dma32 = new BuddyZone(Zone(ZoneType.Dma32).Spec, Architecture.X86_64);
        Assert.Equal(1528, dma32.PageblocksByType().Sum());
        Assert.Equal(772808, dma32.FreePages);
    }

    [Fact]
    public void Zonelist_of_the_only_node_runs_normal_dma32_dma() =>
        Assert.Equal(
            [ZoneIndex.Of(0, ZoneType.Normal), ZoneIndex.Of(0, ZoneType.Dma32), ZoneIndex.Of(0, ZoneType.Dma)],
            Setup.Zonelists.Zones(0, thisNodeOnly: false));
}
