using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Filemap;
using Xunit;

namespace NumaSim.Model.Tests.Filemap;

public sealed class XarrayNodesTests
{
    [Fact]
    public void Index_0_alone_lives_in_the_head_and_the_second_entry_brings_the_first_leaf()
    {
        var xarray = new XarrayNodes();

        Assert.Equal(0, xarray.Store(0));
        Assert.Equal(1, xarray.Store(1));
        Assert.Equal(0, xarray.Store(63));
        Assert.Equal(1, xarray.Count);
    }

    [Fact]
    public void A_sequential_read_of_900_MiB_needs_the_nodes_the_kernel_spent_on_it()
    {
        // 230,400 pages: 3,600 leaves, 57 nodes above them and a root. Linux 6.12 under QEMU reading such a file
        // grew nr_slab_reclaimable by 526 pages: 3,658 radix_tree_node objects at 7 a page.
        var xarray = new XarrayNodes();
        var allocated = 0;
        for (var index = 0L; index < 230_400; index++)
        {
            allocated += xarray.Store(index);
        }

        Assert.Equal(3_658, allocated);
        Assert.Equal(3_658, xarray.Count);
    }

    [Fact]
    public void Freeing_the_last_leaf_under_a_node_frees_the_node_too()
    {
        var xarray = new XarrayNodes();
        xarray.Store(5);
        xarray.Store(64 * 64);

        // Root (level 2), its two children at level 1, and one leaf under each.
        Assert.Equal(5, xarray.Count);
        Assert.Equal(2, xarray.FreeLeaf(64 * 64));
        Assert.Equal(3, xarray.Count);
    }

    /// <summary>
    /// Whatever the order the indices come in, the tree holds one node per distinct prefix at each level up to the
    /// height the largest index needs, as a tree built top-down for the final set would (index 0 alone: none).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property The_nodes_do_not_depend_on_the_order_of_the_stores() =>
        Prop.ForAll(Gen.Choose(0, 300_000).Select(i => (long)i).ListOf().Select(l => l.Distinct().Take(40).ToArray()).ToArbitrary(), indices =>
        {
            var xarray = new XarrayNodes();
            var allocated = indices.Sum(xarray.Store);
            return allocated == Expected(indices) && xarray.Count == allocated;
        });

    private static int Expected(long[] indices)
    {
        if (indices.Length == 0 || indices is [0])
        {
            return 0;
        }
        var height = 1;
        while (indices.Max() >> (6 * height) > 0)
        {
            height++;
        }
        return Enumerable.Range(0, height).Sum(level => indices.Select(i => i >> (6 * (level + 1))).Distinct().Count());
    }
}
