using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>__rmqueue_fallback / steal_suitable_fallback: who steals, whether the pageblock changes type, and that nothing is lost.</summary>
public sealed class MigratetypeFallbackTests
{
    private static long[] Blocks(BuddyZone zone) => zone.PageblocksByType();

    private static void AssertNothingLost(BuddyHarness h)
    {
        Assert.Equal(h.Spec.Managed, h.Zone.FreePages + h.AllocatedPages);
        Assert.Equal(h.Zone.FreePages, Machines.PagesOnFreeLists(h.Zone));
        h.FreeAll(new Random(1));
        Assert.Equal(h.BootBuddyInfo, Machines.BuddyInfo(h.Zone));
    }

    [Fact]
    public void An_unmovable_request_claims_every_pageblock_of_a_whole_max_order_movable_block()
    {
        // 4096 pages at 4096: four order-10 Movable blocks, 8 pageblocks.
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 4096, 4096, 4096), BuddyChecks.All);
        Assert.Equal(new long[] { 0, 8, 0, 0, 0 }, Blocks(h.Zone));

        var pfn = h.Allocate(0, MigrateType.Unmovable);

        Assert.Equal(4096, pfn);
        Assert.Equal(new long[] { 2, 6, 0, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(2, h.Zone.PageblocksStolen);
        Assert.Equal(1, h.Zone.ExternalFragmentationEvents);
        // expand() left halves of orders 0..9 on the Unmovable lists; the other three order-10 blocks stay Movable.
        Assert.All(Enumerable.Range(0, 10), o => Assert.Equal(1, h.Zone.FreeBlocks(o, MigrateType.Unmovable)));
        Assert.Equal(3, h.Zone.FreeBlocks(10, MigrateType.Movable));
        Assert.Equal(0, h.Zone.FreeBlocks(10, MigrateType.Unmovable));
        Assert.Equal(MigrateType.Unmovable, h.Zone.PageblockType(4096 + 512));
        Assert.Equal(MigrateType.Movable, h.Zone.PageblockType(4096 + 1024));

        // Further unmovable requests use the claimed lists without stealing again.
        h.Allocate(0, MigrateType.Unmovable);
        Assert.Equal(1, h.Zone.ExternalFragmentationEvents);
        AssertNothingLost(h);
    }

    [Fact]
    public void An_unmovable_request_claims_a_movable_pageblock_when_half_of_it_is_free()
    {
        // One pageblock [4096, 4608). 200 pages allocated Movable, 312 free: 312 + 0 alike >= 256.
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 512, 512, 512), BuddyChecks.All);
        for (var i = 0; i < 200; i++)
        {
            h.Allocate(0, MigrateType.Movable);
        }
        var freeBefore = h.Zone.FreePages;

        var pfn = h.Allocate(0, MigrateType.Unmovable);

        Assert.True(pfn >= 0);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(1, h.Zone.PageblocksStolen);
        // move_freepages_block moved every free block of the pageblock to the Unmovable lists.
        Assert.All(Enumerable.Range(0, h.Zone.Orders), o => Assert.Equal(0, h.Zone.FreeBlocks(o, MigrateType.Movable)));
        Assert.Equal(freeBefore - 1, h.Zone.FreePages);
        AssertNothingLost(h);
    }

    [Fact]
    public void An_unmovable_request_does_not_claim_a_mostly_movable_pageblock()
    {
        // 500 of 512 pages allocated Movable: 12 free + 0 alike < 256, the pageblock stays Movable.
        // (The model counts allocated Movable blocks as the kernel's PageLRU/movable pages.)
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 512, 512, 512), BuddyChecks.All);
        for (var i = 0; i < 500; i++)
        {
            h.Allocate(0, MigrateType.Movable);
        }

        var pfn = h.Allocate(0, MigrateType.Unmovable);

        Assert.True(pfn >= 0);
        Assert.Equal(new long[] { 0, 1, 0, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(0, h.Zone.PageblocksStolen);
        Assert.Equal(1, h.Zone.ExternalFragmentationEvents);
        Assert.Equal(11, h.Zone.FreePages);
        AssertNothingLost(h);
    }

    [Fact]
    public void A_movable_request_steals_the_smallest_unmovable_block_without_claiming_the_pageblock()
    {
        // Claim the only pageblock for Unmovable, then leave only small Unmovable blocks (orders 0..3).
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 512, 512, 512), BuddyChecks.All);
        h.Allocate(0, MigrateType.Unmovable);
        for (var order = 8; order >= 4; order--)
        {
            h.Allocate(order, MigrateType.Unmovable);
        }
        Assert.Equal(new long[] { 1, 0, 0, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(15, h.Zone.FreePages);
        var stolenBefore = h.Zone.PageblocksStolen;

        // Largest fallback block is order 3 < pageblock_order / 2: a Movable request may not steal the
        // whole block, so __rmqueue_fallback goes to find_smallest and takes the order-0 block.
        var pfn = h.Allocate(0, MigrateType.Movable);

        Assert.True(pfn >= 0);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(stolenBefore, h.Zone.PageblocksStolen);
        Assert.Equal(0, h.Zone.FreeBlocks(0, MigrateType.Unmovable));
        Assert.All(Enumerable.Range(1, 3), o => Assert.Equal(1, h.Zone.FreeBlocks(o, MigrateType.Unmovable)));
        AssertNothingLost(h);
    }

    [Fact]
    public void Reclaimable_is_tried_before_movable_as_the_unmovable_fallback_at_the_same_order()
    {
        // Two order-10 blocks at 4096 and 5120. An order-10 Reclaimable allocation claims the first one;
        // freed, it sits on the Reclaimable order-10 list (order 10 does not merge further).
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 2048, 2048, 2048), BuddyChecks.All);
        Assert.Equal(4096, h.Allocate(10, MigrateType.Reclaimable));
        h.FreeAt(0);
        Assert.Equal(1, h.Zone.FreeBlocks(10, MigrateType.Reclaimable));
        Assert.Equal(1, h.Zone.FreeBlocks(10, MigrateType.Movable));
        Assert.Equal(new long[] { 0, 2, 2, 0, 0 }, Blocks(h.Zone));

        // fallbacks[MIGRATE_UNMOVABLE] = { RECLAIMABLE, MOVABLE }: the Reclaimable block is taken and claimed.
        Assert.Equal(4096, h.Allocate(0, MigrateType.Unmovable));
        Assert.Equal(new long[] { 2, 2, 0, 0, 0 }, Blocks(h.Zone));
        AssertNothingLost(h);
    }

    [Fact]
    public void The_largest_fallback_block_wins_over_the_preferred_fallback_type()
    {
        // __rmqueue_fallback walks orders from MAX_ORDER down and tries the fallback types at each order:
        // a Movable order-10 block beats a Reclaimable order-9 block for an Unmovable request.
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 2048, 2048, 2048), BuddyChecks.All);
        h.Allocate(0, MigrateType.Reclaimable);
        Assert.Equal(new long[] { 0, 2, 2, 0, 0 }, Blocks(h.Zone));
        Assert.Equal(5120, h.Allocate(0, MigrateType.Unmovable));
        Assert.Equal(new long[] { 2, 0, 2, 0, 0 }, Blocks(h.Zone));
        AssertNothingLost(h);
    }

    [Fact]
    public void A_pageblock_that_straddles_the_zone_end_is_never_claimed()
    {
        // Zone [4096, 4104): 8 pages, its pageblock [4096, 4608) reaches past the zone end.
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096, 8, 8, 8), BuddyChecks.All);
        var pfn = h.Allocate(0, MigrateType.Unmovable);
        Assert.True(pfn >= 0);
        Assert.Equal(MigrateType.Movable, h.Zone.PageblockType(4096));
        Assert.Equal(0, h.Zone.PageblocksStolen);
    }

    [Fact]
    public void Fallback_steals_keep_every_page_accounted_for_under_mixed_migratetypes()
    {
        var h = new BuddyHarness(new ZoneSpec(ZoneType.Normal, 4096 + 7, 6000, 5800, 5500), BuddyChecks.All);
        var random = new Random(42);
        for (var step = 0; step < 3000; step++)
        {
            if (random.Next(3) > 0 || h.Allocated.Count == 0)
            {
                h.Allocate(random.Next(4) == 0 ? random.Next(11) : random.Next(3), (MigrateType)random.Next(3));
            }
            else
            {
                h.FreeAt(random.Next(h.Allocated.Count));
            }
        }
        Assert.True(h.Zone.ExternalFragmentationEvents > 0);
        AssertNothingLost(h);
    }
}
