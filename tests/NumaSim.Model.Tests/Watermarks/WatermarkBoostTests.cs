using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Watermarks;

/// <summary>
/// boost_watermark (mm/page_alloc.c, 6.12): a fallback below pageblock order boosts the zone by a pageblock (512
/// pages on x86-64), up to watermark_boost_factor / 10,000 of the high watermark but at least a pageblock.
/// </summary>
public sealed class WatermarkBoostTests
{
    private const long Start = 4096;

    // One zone of 8 pageblocks (4 order-10 blocks, all Movable), boosted up to max_boost of a high watermark.
    private static BuddyZone Zone(long high) =>
        new(new ZoneSpec(ZoneType.Normal, Start, 4096, 4096, 4096), Architecture.X86_64)
        {
            MaxWatermarkBoost = BuddyZone.MaxBoost(high, BuddyZone.DefaultWatermarkBoostFactor, 4096, 9),
        };

    // Every page allocated Movable, then one page of pageblock `block` freed: the only free page is an order-0 Movable one.
    private static void FillAndFreeOne(BuddyZone zone, List<long> movable, int block)
    {
        long pfn;
        while ((pfn = zone.Allocate(0, MigrateType.Movable)) >= 0)
        {
            movable.Add(pfn);
        }
        var victim = movable.First(p => (p - Start) >> 9 == block);
        movable.Remove(victim);
        Assert.True(zone.Free(victim, 0));
    }

    [Theory]
    [InlineData(1000, 15000, 4096, 1500)]   // 1.5 x high
    [InlineData(150, 15000, 4096, 512)]     // 225 < a pageblock: a pageblock
    [InlineData(1000, 0, 4096, 0)]          // vm.watermark_boost_factor = 0: never boosted
    [InlineData(1000, 15000, 2047, 0)]      // fewer than four pageblocks managed
    [InlineData(0, 15000, 4096, 0)]         // high watermark not set yet
    [InlineData(8462, 15000, 115260, 12693)] // the fidelity guest's node 0 DMA32, as its zoneinfo showed
    [InlineData(12345, 3333, 1 << 20, 4114)] // mult_frac: 12345 / 10000 * 3333 + 2345 * 3333 / 10000 = 3333 + 781
    public void The_boost_limit_is_the_factor_of_the_high_watermark_at_least_a_pageblock(long high, int factor, long managed, long expected) =>
        Assert.Equal(expected, BuddyZone.MaxBoost(high, factor, managed, 9));

    [Fact]
    public void Each_fallback_below_pageblock_order_adds_a_pageblock_up_to_the_limit()
    {
        var zone = Zone(high: 1000);
        var movable = new List<long>();
        var boosts = new List<long>();
        for (var block = 0; block < 4; block++)
        {
            FillAndFreeOne(zone, movable, block);
            // The unmovable request finds only an order-0 Movable page: it steals it (1 free + 0 alike < 256,
            // the pageblock stays Movable) and boosts.
            Assert.True(zone.Allocate(0, MigrateType.Unmovable, AllocFlags.WmarkLow | AllocFlags.Kswapd) >= 0);
            boosts.Add(zone.WatermarkBoost);
        }

        Assert.Equal([512, 1024, 1500, 1500], boosts);
        Assert.Equal(1500, zone.WatermarkBoostRaised);
        Assert.Equal(0, zone.PageblocksStolen);
        Assert.True(zone.TakeBoostedWatermark());
        Assert.False(zone.TakeBoostedWatermark());

        zone.ClearWatermarkBoost(1024);
        Assert.Equal(476, zone.WatermarkBoost);
        zone.ClearWatermarkBoost(1024);
        Assert.Equal(0, zone.WatermarkBoost);
        Assert.Equal(1500, zone.WatermarkBoostRaised);
    }

    [Fact]
    public void A_fallback_that_may_not_wake_kswapd_boosts_without_flagging_the_zone()
    {
        var zone = Zone(high: 1000);
        FillAndFreeOne(zone, [], 3);

        Assert.True(zone.Allocate(0, MigrateType.Unmovable, AllocFlags.WmarkMin) >= 0);

        Assert.Equal(512, zone.WatermarkBoost);
        Assert.False(zone.TakeBoostedWatermark());
    }

    [Fact]
    public void Taking_a_whole_max_order_block_does_not_boost()
    {
        var zone = Zone(high: 1000);

        // A fresh zone: the unmovable request takes an order-10 Movable block and claims its two pageblocks.
        zone.Allocate(0, MigrateType.Unmovable, AllocFlags.WmarkLow | AllocFlags.Kswapd);

        Assert.Equal(2, zone.PageblocksStolen);
        Assert.Equal(0, zone.WatermarkBoost);
        Assert.False(zone.TakeBoostedWatermark());
    }

    [Fact]
    public void The_boost_raises_every_watermark_and_an_order_0_high_request_at_min_ignores_it()
    {
        var setup = new ZoneSetup(0, 0, new ZoneSpec(ZoneType.Normal, Start, 4096, 4096, 4096), new ZoneWatermarks(100, 125, 150, 175), [0, 0, 0, 0], 31, 124, 1000, 24);
        var view = new ZoneFreeView(200, 0b11, 0, 0, WatermarkBoost: 512);

        Assert.Equal(662, WatermarkCheck.Mark(setup, view, WatermarkKind.High));
        // 200 free: below low + boost (637) in the fast path, below min + boost (612) for GFP_KERNEL in the slow path.
        Assert.False(WatermarkCheck.Fast(view, 0, setup, 3, AllocFlagsFor.FastPath(Gfp.Kernel)));
        Assert.False(WatermarkCheck.Fast(view, 0, setup, 3, AllocFlagsFor.SlowPath(Gfp.Kernel, 0)));
        // GFP_ATOMIC at min + boost: 612 - 306 (__GFP_HIGH) - 76 (cannot block) = 230 > 200 fails; order 0 then
        // checks the unboosted min: 100 - 50 - 12 = 38 < 200.
        Assert.True(WatermarkCheck.Fast(view, 0, setup, 3, AllocFlagsFor.SlowPath(Gfp.Atomic, 0)));
        // Order 1 gets no such second look (199 usable pages against 230).
        Assert.False(WatermarkCheck.Fast(view, 1, setup, 3, AllocFlagsFor.SlowPath(Gfp.Atomic, 1)));
    }
}
