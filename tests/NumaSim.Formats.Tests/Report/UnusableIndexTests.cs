using NumaSim.Report;

namespace NumaSim.Formats.Tests.Report;

public sealed class UnusableIndexTests
{
    [Fact]
    public void Order_0_is_always_usable_and_each_order_counts_the_free_pages_in_smaller_blocks()
    {
        // 4 single pages, 2 order-1 blocks (4 pages), 1 order-3 block (8 pages): 16 free pages.
        long[] blocks = [4, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal(0, UnusableIndex.Thousandths(blocks, 0));
        Assert.Equal(250, UnusableIndex.Thousandths(blocks, 1)); // the 4 single pages
        Assert.Equal(500, UnusableIndex.Thousandths(blocks, 2)); // and the 4 pages of order-1 blocks
        Assert.Equal(500, UnusableIndex.Thousandths(blocks, 3));
        Assert.Equal(1000, UnusableIndex.Thousandths(blocks, 4)); // no block of order 4 or more
        Assert.Equal(1000, UnusableIndex.Thousandths(blocks, 10));
    }

    [Fact]
    public void The_index_is_truncated_to_thousandths_as_the_kernel_divides()
    {
        // 3 free pages, 2 of them in an order-1 block: 1/3 unusable for order 1 is 333, not 333.33 rounded.
        long[] blocks = [1, 1];

        Assert.Equal(333, UnusableIndex.Thousandths(blocks, 1));
        // 4 of 6 free pages in single pages: 666.67 would round to 667; the kernel's integer division gives 666.
        Assert.Equal(666, UnusableIndex.Thousandths([4, 1], 1));
        Assert.Equal("0.666", UnusableIndex.Format(666));
    }

    [Fact]
    public void A_zone_with_no_free_page_is_all_unusable()
    {
        Assert.Equal(1000, UnusableIndex.Thousandths([0, 0, 0], 0));
        Assert.Equal("1.000", UnusableIndex.Format(1000));
    }

    [Fact]
    public void A_zone_line_reads_as_debugfs_extfrag_unusable_index()
    {
        long[] blocks = [4, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal("Node 1, zone   Normal 0.000 0.250 0.500 0.500 1.000 1.000 1.000 1.000 1.000 1.000 1.000 ", UnusableIndex.Line(1, "Normal", blocks));
        Assert.Equal("Node 0, zone    DMA32 0.000 ", UnusableIndex.Line(0, "DMA32", [7]));
    }
}
