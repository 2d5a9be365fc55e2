using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>Invariants of one zone's buddy allocator under random allocate/free sequences.</summary>
public sealed class BuddyZoneProperties
{
    private const int Tests = 100;

    [Property(MaxTest = Tests)]
    public Property Allocated_blocks_never_overlap_are_aligned_and_lie_in_the_managed_part() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            var h = BuddyHarness.Run(s, BuddyChecks.Placement);
            h.Exhaust();
        });

    [Property(MaxTest = Tests)]
    public Property Free_plus_allocated_pages_equal_managed_after_every_operation() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            BuddyHarness.Run(s, BuddyChecks.Accounting);
        });

    [Property(MaxTest = Tests)]
    public Property Allocation_fails_only_when_no_free_block_of_that_order_or_above_exists() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            BuddyHarness.Run(s, BuddyChecks.FailOnlyWhenEmpty);
        });

    [Property(MaxTest = Tests)]
    public Property Exhausting_the_zone_hands_out_every_managed_page_exactly_once() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            var h = BuddyHarness.Run(s, BuddyChecks.Placement | BuddyChecks.Accounting);
            h.Exhaust();
            Assert.Equal(0, h.Zone.FreePages);
            Assert.Equal(s.Spec.Managed, h.AllocatedPages);
            Assert.All(Enumerable.Range(0, h.Zone.Orders), o => Assert.Equal(0, h.Zone.FreeBlocksAtOrder(o)));
        });

    [Property(MaxTest = Tests)]
    public Property Freeing_every_page_restores_boot_buddyinfo() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            var h = BuddyHarness.Run(s, BuddyChecks.Accounting);
            h.FreeAll(new Random(s.Seed));
            Assert.Equal(s.Spec.Managed, h.Zone.FreePages);
            Assert.Equal(h.BootBuddyInfo, Support.Machines.BuddyInfo(h.Zone));
        });

    [Property(MaxTest = Tests)]
    public Property Freeing_every_page_after_exhausting_the_zone_restores_boot_buddyinfo() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            var h = BuddyHarness.Run(s, BuddyChecks.None);
            h.Exhaust();
            h.FreeAll(new Random(s.Seed));
            Assert.Equal(h.BootBuddyInfo, Support.Machines.BuddyInfo(h.Zone));
        });

    [Property(MaxTest = Tests)]
    public Property Freeing_a_block_that_is_not_allocated_or_with_the_wrong_order_returns_false_and_changes_nothing() =>
        Prop.ForAll(BuddyGen.Scenarios(withBadFrees: true), s =>
        {
            // BadFree steps assert the refusal and that free counts, free lists and pageblocks are untouched.
            var h = BuddyHarness.Run(s, BuddyChecks.Accounting | BuddyChecks.Placement);
            h.FreeAll(new Random(s.Seed));
            Assert.Equal(h.BootBuddyInfo, Support.Machines.BuddyInfo(h.Zone));
        });

    [Property(MaxTest = Tests)]
    public Property Pageblock_counts_always_sum_to_the_pageblocks_of_the_present_part() =>
        Prop.ForAll(BuddyGen.Scenarios(), s =>
        {
            var h = BuddyHarness.Run(s, BuddyChecks.Pageblocks);
            h.Exhaust();
            h.FreeAll(new Random(s.Seed));
            Assert.Equal(Support.Machines.PresentPageblocks(s.Spec, h.Zone.PageblockOrder), h.Zone.PageblocksByType().Sum());
        });

    [Fact]
    public void A_fresh_zone_puts_its_managed_pages_on_the_free_lists_as_the_largest_aligned_blocks()
    {
        // [4096 + 3, 4096 + 3 + 2000): reserved [4099, 4099 + 2000 - 1500), managed from 4599.
        var zone = new BuddyZone(new ZoneSpec(ZoneType.Normal, 4099, 2000, 1800, 1500), Architecture.X86_64);
        // Blocks: 4599 o0, 4600 o3, 4608 o9, 5120 o9, 5632 o8, 5888 o7, 6016 o6, 6080 o4, 6096 o1, 6098 o0 (end 6099).
        Assert.Equal(new long[] { 2, 1, 0, 1, 1, 0, 1, 1, 1, 2, 0 }, Support.Machines.BuddyInfo(zone));
        Assert.Equal(1500, zone.FreePages);
        Assert.All(Enumerable.Range(0, zone.Orders), o => Assert.Equal(zone.FreeBlocksAtOrder(o), zone.FreeBlocks(o, MigrateType.Movable)));
    }

    [Fact]
    public void Double_free_is_refused()
    {
        var zone = new BuddyZone(new ZoneSpec(ZoneType.Normal, 4096, 1024, 1024, 1024), Architecture.X86_64);
        var pfn = zone.Allocate(2, MigrateType.Unmovable);
        Assert.True(zone.Free(pfn, 2));
        var buddyinfo = Support.Machines.BuddyInfo(zone);
        Assert.False(zone.Free(pfn, 2));
        Assert.Equal(buddyinfo, Support.Machines.BuddyInfo(zone));
        Assert.Equal(1024, zone.FreePages);
    }

    [Fact]
    public void A_split_block_is_freed_page_by_page_and_merges_back_whole()
    {
        var zone = new BuddyZone(new ZoneSpec(ZoneType.Normal, 4096, 1024, 1024, 1024), Architecture.X86_64);
        var buddyinfo = Support.Machines.BuddyInfo(zone);
        var pfn = zone.Allocate(9, MigrateType.Movable);
        Assert.False(zone.SplitPage(pfn + 1, 9));
        Assert.True(zone.SplitPage(pfn, 9));
        // The block is no longer one allocation of order 9: its pages are freed one by one, in any order.
        Assert.False(zone.Free(pfn, 9));
        for (var i = 511; i >= 0; i--)
        {
            Assert.True(zone.Free(pfn + i, 0));
        }
        Assert.Equal(buddyinfo, Support.Machines.BuddyInfo(zone));
        Assert.Equal(1024, zone.FreePages);
    }
}
