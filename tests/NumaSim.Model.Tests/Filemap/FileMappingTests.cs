using NumaSim.Model.Filemap;
using Xunit;

namespace NumaSim.Model.Tests.Filemap;

public sealed class FileMappingTests
{
    [Fact]
    public void Cached_pages_are_found_by_index_and_counted_with_a_leaf_per_64_slots_and_the_root_above_them()
    {
        var mapping = new FileMapping(1, "big", 1000);

        for (var index = 0L; index < 130; index++)
        {
            var (shadow, _) = mapping.Add(index, 5000 + index);
            Assert.Equal(-1, shadow);
        }

        Assert.Equal(130, mapping.NrPages);
        // Three leaves, and the root xas_expand put over the first one when index 64 arrived.
        Assert.Equal(4, mapping.XaNodes);
        Assert.True(mapping.TryGet(129, out var pfn));
        Assert.Equal(5129, pfn);
        Assert.False(mapping.TryGet(130, out _));
    }

    [Fact]
    public void An_evicted_page_leaves_its_shadow_which_the_next_add_returns()
    {
        var mapping = new FileMapping(1, "big", 64);
        mapping.Add(7, 100);

        Assert.False(mapping.Remove(7, shadow: 42));
        Assert.False(mapping.TryGet(7, out _));
        Assert.Equal(1, mapping.NrShadows);
        Assert.Equal(1, mapping.XaNodes);

        var (shadow, newNodes) = mapping.Add(7, 200);
        Assert.Equal(42, shadow);
        Assert.Equal(0, newNodes);
        Assert.Equal(0, mapping.NrShadows);
    }

    [Fact]
    public void A_migrated_page_takes_its_slot_with_the_count_the_node_and_the_readahead_mark()
    {
        var mapping = new FileMapping(1, "big", 64);
        mapping.Add(7, 100);
        mapping.MarkReadahead(7);

        mapping.Replace(7, 900);

        Assert.True(mapping.TryGet(7, out var pfn));
        Assert.Equal(900, pfn);
        Assert.Equal((1, 1), (mapping.NrPages, mapping.XaNodes));
        Assert.True(mapping.TestClearReadahead(7));
        Assert.Throws<InvalidOperationException>(() => mapping.Replace(8, 901));
    }

    [Fact]
    public void Truncating_the_last_page_of_a_node_frees_the_node()
    {
        var mapping = new FileMapping(1, "big", 64);
        Assert.Equal(1, mapping.Add(3, 100).NewNodes);

        Assert.True(mapping.Remove(3));
        Assert.Equal(0, mapping.XaNodes);
        Assert.Equal(0, mapping.NrPages);
    }

    [Fact]
    public void A_page_beyond_the_end_of_the_file_or_cached_twice_is_refused()
    {
        var mapping = new FileMapping(1, "big", 10);
        mapping.Add(0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => mapping.Add(10, 2));
        Assert.Throws<InvalidOperationException>(() => mapping.Add(0, 2));
        Assert.Throws<InvalidOperationException>(() => mapping.Remove(5));
    }
}
