namespace NumaSim.Scenarios.Tests;

/// <summary>
/// The buddy allocator: an order-8 request splits an order-10 block, leaving one free block of order 9 and one of
/// order 8; freeing it merges the buddies back. Config: a stream's mix (order, gfp, lifetime); outputs:
/// /proc/buddyinfo.
/// </summary>
public sealed class BuddyAllocatorTests : NumaSimTestKit
{
    private static NumaScenario OneOrder8(string? lifetime) =>
        Machines.TwoNodes().WithStream("0", 1, "1us", null, new AllocationMix(1, 8, "GFP_KERNEL", lifetime));

    [Fact]
    public async Task An_order_8_allocation_splits_an_order_10_block_and_its_free_merges_it_back()
    {
        var boot = await RunUntilAsync(OneOrder8(null), "1ns");
        var held = await RunAsync(OneOrder8(null));
        var freed = await RunAsync(OneOrder8("1us"));

        var before = boot.Buddyinfo(0, ZoneType.Normal);
        var after = held.Buddyinfo(0, ZoneType.Normal);
        Assert.Equal(before[10] - 1, after[10]);
        Assert.Equal(before[9] + 1, after[9]);
        Assert.Equal(before[8] + 1, after[8]);
        Assert.Equal(before, freed.Buddyinfo(0, ZoneType.Normal));
    }
}
