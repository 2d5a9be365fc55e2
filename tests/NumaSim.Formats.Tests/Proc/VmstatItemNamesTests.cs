using NumaSim.Formats.Proc;
using NumaSim.Model.Stats;

namespace NumaSim.Formats.Tests.Proc;

/// <summary>The one name table and the counter enums of the model stay in step: same items, same order.</summary>
public class VmstatItemNamesTests
{
    [Fact]
    public void Each_family_enum_names_the_kernel_items_in_vmstat_text_order()
    {
        AssertInStep<ZoneStatItem>(VmstatItemNames.ZoneItems);
        AssertInStep<NumaStatItem>(VmstatItemNames.NumaItems);
        AssertInStep<NodeStatItem>(VmstatItemNames.NodeItems);
        AssertInStep<VmEventItem>(VmstatItemNames.EventItems);
    }

    [Fact]
    public void Names_come_from_the_table_by_item()
    {
        Assert.Equal("pgfault", VmstatItemNames.Name(VmEventItem.Pgfault));
        Assert.Equal("pgalloc_dma32", VmstatItemNames.Name(VmEventItem.PgallocDma32));
        Assert.Equal("nr_anon_transparent_hugepages", VmstatItemNames.Name(NodeStatItem.NrAnonTransparentHugepages));
        Assert.Equal("numa_interleave", VmstatItemNames.Name(NumaStatItem.NumaInterleave));
        Assert.Equal("nr_free_pages_blocks", VmstatItemNames.Name(ZoneStatItem.NrFreePagesBlocks));
    }

    /// <summary>Member i is name i in PascalCase (pgalloc_dma32: PgallocDma32).</summary>
    private static void AssertInStep<TItem>(IReadOnlyList<string> names)
        where TItem : struct, Enum
    {
        var items = Enum.GetValues<TItem>();
        Assert.Equal(names.Count, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal(i, Counters<TItem>.Index(items[i]));
            Assert.Equal(names[i].Replace("_", "", StringComparison.Ordinal), items[i].ToString().ToLowerInvariant());
        }
    }
}
