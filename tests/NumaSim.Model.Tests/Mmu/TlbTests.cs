using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>The set-associative, ASID-tagged TLB with LRU replacement inside a set.</summary>
public sealed class TlbTests
{
    private static Pte Frame(long pfn) => new(pfn, 0, PteFlags.Present | PteFlags.Read);

    [Fact]
    public void A_lookup_misses_before_an_insert_and_hits_after_it()
    {
        var tlb = new Tlb(8, 2);
        Assert.False(tlb.TryLookup(1, 100, out var missed));
        Assert.Equal(default, missed);
        tlb.Insert(1, 100, Frame(7));
        Assert.True(tlb.TryLookup(1, 100, out var hit));
        Assert.Equal(Frame(7), hit);
        Assert.True(tlb.Contains(1, 100));
    }

    [Fact]
    public void Hits_and_misses_count_lookups_only()
    {
        var tlb = new Tlb(8, 2);
        tlb.TryLookup(1, 1, out _);            // miss
        tlb.Insert(1, 1, Frame(1));
        tlb.TryLookup(1, 1, out _);            // hit
        tlb.TryLookup(1, 1, out _);            // hit
        tlb.TryLookup(1, 2, out _);            // miss
        _ = tlb.Contains(1, 1);                // not counted
        _ = tlb.Contains(1, 3);                // not counted
        Assert.Equal(2, tlb.Hits);
        Assert.Equal(2, tlb.Misses);
        Assert.Equal(0, tlb.Evictions);
    }

    [Fact]
    public void Eight_entries_of_two_ways_are_four_sets_indexed_by_the_low_bits_of_the_page()
    {
        var tlb = new Tlb(8, 2);
        Assert.Equal(4, tlb.Sets);
        Assert.Equal(2, tlb.Ways);
        // vpn 0..7 fall into sets 0,1,2,3,0,1,2,3: all eight fit, nothing is evicted.
        for (var vpn = 0; vpn < 8; vpn++)
        {
            tlb.Insert(1, vpn, Frame(vpn));
        }
        Assert.Equal(0, tlb.Evictions);
        Assert.All(Enumerable.Range(0, 8), vpn => Assert.True(tlb.Contains(1, vpn)));
    }

    [Fact]
    public void A_full_set_evicts_its_least_recently_used_entry()
    {
        var tlb = new Tlb(8, 2);
        const long a = 9, b = a + 4, c = a + 8; // all in set 1
        tlb.Insert(1, a, Frame(1));
        tlb.Insert(1, b, Frame(2));
        Assert.True(tlb.TryLookup(1, a, out _)); // a is now more recent than b
        tlb.Insert(1, c, Frame(3));

        Assert.True(tlb.Contains(1, a));
        Assert.False(tlb.Contains(1, b));
        Assert.True(tlb.Contains(1, c));
        Assert.Equal(1, tlb.Evictions);
    }

    [Fact]
    public void Without_a_touch_the_oldest_insert_is_evicted()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 2, Frame(1));
        tlb.Insert(1, 6, Frame(2));
        tlb.Insert(1, 10, Frame(3));
        Assert.False(tlb.Contains(1, 2));
        Assert.True(tlb.Contains(1, 6));
        Assert.True(tlb.Contains(1, 10));
    }

    [Fact]
    public void A_full_set_leaves_the_other_sets_alone()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 1, Frame(1)); // set 1
        tlb.Insert(1, 2, Frame(2)); // set 2
        tlb.Insert(1, 6, Frame(6)); // set 2
        tlb.Insert(1, 10, Frame(10)); // set 2: evicts vpn 2
        Assert.True(tlb.Contains(1, 1));
        Assert.False(tlb.Contains(1, 2));
        Assert.Equal(1, tlb.Evictions);
    }

    [Fact]
    public void Inserting_a_cached_translation_again_replaces_it_without_an_eviction()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 3, Frame(1));
        tlb.Insert(1, 7, Frame(2));
        tlb.Insert(1, 3, Frame(9));
        Assert.Equal(0, tlb.Evictions);
        Assert.True(tlb.TryLookup(1, 3, out var pte));
        Assert.Equal(Frame(9), pte);
        Assert.True(tlb.Contains(1, 7));
    }

    [Fact]
    public void Entries_of_different_address_spaces_do_not_collide()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 100, Frame(1));
        tlb.Insert(2, 100, Frame(2));
        Assert.True(tlb.TryLookup(1, 100, out var one));
        Assert.True(tlb.TryLookup(2, 100, out var two));
        Assert.Equal(Frame(1), one);
        Assert.Equal(Frame(2), two);
        Assert.False(tlb.Contains(3, 100));

        Assert.True(tlb.Invalidate(1, 100));
        Assert.False(tlb.Contains(1, 100));
        Assert.True(tlb.Contains(2, 100));
    }

    [Fact]
    public void Invalidate_drops_only_that_entry()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 4, Frame(4));
        tlb.Insert(1, 8, Frame(8)); // same set as 4
        tlb.Insert(1, 5, Frame(5));

        Assert.True(tlb.Invalidate(1, 4));
        Assert.False(tlb.Contains(1, 4));
        Assert.True(tlb.Contains(1, 8));
        Assert.True(tlb.Contains(1, 5));
        Assert.False(tlb.Invalidate(1, 4)); // already gone
        Assert.False(tlb.Invalidate(1, 12)); // never there
        Assert.Equal(1, tlb.Invalidations);
    }

    [Fact]
    public void An_invalidated_way_is_reused_before_anything_is_evicted()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 0, Frame(0));
        tlb.Insert(1, 4, Frame(4));
        tlb.Invalidate(1, 0);
        tlb.Insert(1, 8, Frame(8));
        Assert.Equal(0, tlb.Evictions);
        Assert.True(tlb.Contains(1, 4));
        Assert.True(tlb.Contains(1, 8));
    }

    [Fact]
    public void A_fully_associative_tlb_has_one_set_and_evicts_the_least_recently_used_of_all()
    {
        var tlb = new Tlb(4, 4);
        Assert.Equal(1, tlb.Sets);
        long[] pages = [3, 1000, 77, 123456789];
        foreach (var vpn in pages)
        {
            tlb.Insert(1, vpn, Frame(vpn));
        }
        Assert.All(pages, vpn => Assert.True(tlb.Contains(1, vpn)));
        Assert.Equal(0, tlb.Evictions);

        tlb.TryLookup(1, 3, out _);
        tlb.Insert(1, 555, Frame(555)); // 1000 is now the least recently used
        Assert.False(tlb.Contains(1, 1000));
        Assert.True(tlb.Contains(1, 3));
        Assert.True(tlb.Contains(1, 555));
        Assert.Equal(1, tlb.Evictions);
    }

    [Fact]
    public void A_direct_mapped_tlb_keeps_one_entry_per_set()
    {
        var tlb = new Tlb(4, 1);
        Assert.Equal(4, tlb.Sets);
        tlb.Insert(1, 2, Frame(2));
        tlb.Insert(1, 6, Frame(6));
        Assert.False(tlb.Contains(1, 2));
        Assert.True(tlb.Contains(1, 6));
        Assert.Equal(1, tlb.Evictions);
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(12, 8)]
    [InlineData(4, 8)]
    [InlineData(8, 0)]
    [InlineData(0, 1)]
    public void The_constructor_rejects_entries_that_do_not_split_into_whole_sets(int entries, int ways) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tlb(entries, ways));

    [Fact]
    public void The_default_config_is_a_valid_tlb()
    {
        var tlb = new Tlb(TlbConfig.Default.Entries, TlbConfig.Default.Ways);
        Assert.Equal(128, tlb.Sets);
        Assert.Equal(12, tlb.Ways);
    }

    // Tlb.Insert takes the first empty way of the set as its victim before it has looked at the
    // later ways, so a translation that sits behind an invalidated way is cached a second time.
    // The next Invalidate (a shootdown) drops only the first copy: the stale one still hits.
    [Fact]
    public void Reinserting_a_cached_translation_after_an_invalidation_in_its_set_keeps_one_copy()
    {
        var tlb = new Tlb(8, 2);
        tlb.Insert(1, 0, Frame(10)); // way 0 of set 0
        tlb.Insert(1, 4, Frame(14)); // way 1 of set 0
        tlb.Invalidate(1, 0);        // way 0 empty
        tlb.Insert(1, 4, Frame(99)); // the mapping of page 4 changed: should replace way 1

        Assert.True(tlb.Invalidate(1, 4)); // shootdown of page 4
        Assert.False(tlb.Contains(1, 4));
        Assert.False(tlb.TryLookup(1, 4, out _)); // today: hits, with the old frame 14
    }
}
