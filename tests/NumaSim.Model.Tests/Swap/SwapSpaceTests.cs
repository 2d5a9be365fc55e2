using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Swap;

/// <summary>Swap slots and the swap cache, worked by hand (mm/swapfile.c, mm/swap_state.c).</summary>
public sealed class SwapSpaceTests
{
    [Fact]
    public void A_one_GiB_area_has_262143_slots_the_header_taking_one() =>
        Assert.Equal(262_143, SwapSpace.PagesFor(1L << 30, 4096));

    [Fact]
    public void A_slot_stays_in_use_while_a_page_table_names_it_and_is_freed_with_its_shadow_when_none_does()
    {
        var swap = new SwapSpace(4, 2);

        var slot = swap.AddToSwap(100, ZoneIndex.Of(1, ZoneType.Normal));          // add_to_swap
        swap.Duplicate(slot);                        // try_to_unmap wrote the swap entry
        swap.DeleteFromSwapCache(100, shadow: 77);   // reclaim freed the folio, leaving its shadow

        Assert.Equal(1, slot);
        Assert.Equal(1, swap.InusePages);
        Assert.Equal(0, swap.CachedPages);
        Assert.Equal((-1, -1), swap.Lookup(slot));

        // do_swap_page: a new folio reads the slot back and gets the shadow for its refault.
        Assert.Equal(77, swap.AddReadFolio(slot, 200, 0));
        Assert.Equal((200L, 0), swap.Lookup(slot));
        Assert.Equal(1, swap.CachedPagesOn(0));
        swap.SwapFree(slot);                         // mapped: the entry's hold goes, the cache's stays
        Assert.Equal(1, swap.InusePages);
        swap.DeleteFromSwapCache(200, -1);           // folio_free_swap on a write fault

        Assert.Equal(0, swap.InusePages);
        Assert.Equal(4, swap.FreePages);
        Assert.Equal(slot, swap.AddToSwap(300, 0));  // the freed slot first, with no shadow left
        swap.Duplicate(slot);
        swap.DeleteFromSwapCache(300, -1);
        Assert.Equal(-1, swap.AddReadFolio(slot, 400, 0));
    }

    [Fact]
    public void A_full_area_gives_no_slot_and_is_full_past_half()
    {
        var swap = new SwapSpace(3, 1);
        swap.AddToSwap(1, 0);
        Assert.False(swap.Full);
        swap.AddToSwap(2, 0);
        Assert.True(swap.Full);
        swap.AddToSwap(3, 0);

        Assert.Equal(-1, swap.AddToSwap(4, 0));
        Assert.Equal(0, swap.FreePages);
    }

    [Fact]
    public void Swap_cache_folios_count_in_nr_swapcached_and_nr_file_pages_of_their_node()
    {
        var swap = new SwapSpace(8, 2);
        swap.AddToSwap(1, ZoneIndex.Of(0, ZoneType.Normal));
        swap.AddToSwap(2, ZoneIndex.Of(1, ZoneType.Dma32));
        swap.AddToSwap(3, ZoneIndex.Of(1, ZoneType.Normal));
        var deltas = new NodeStatDeltas(2);

        swap.AddNodeStats(deltas);

        var stats = deltas.Snapshot();
        Assert.Equal(1, stats[0][NodeStatItem.NrSwapcached]);
        Assert.Equal(2, stats[1][NodeStatItem.NrSwapcached]);
        Assert.Equal(2, stats[1][NodeStatItem.NrFilePages]);
    }
}
