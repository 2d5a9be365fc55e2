using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Tests.Proc;

public class PagetypeinfoRendererTests
{
    [Fact]
    public void Reference_free_lists_and_pageblocks_render_byte_identical_to_the_real_pagetypeinfo()
    {
        var s = ReferenceMachine.Build(FreeBlocksSource.Pagetypeinfo);

        Assert.Equal(RepositoryPaths.ReadReference("pagetypeinfo"), PagetypeinfoRenderer.Render(s));
    }

    [Fact]
    public void A_free_list_of_100000_or_more_blocks_prints_as_the_kernel_caps_it()
    {
        var s = ReferenceMachine.Build();
        var dma32 = s.Nodes[0].Zones[1];
        dma32.FreeBlocks[(int)MigrateType.Movable][0] = 100000;
        dma32.FreeBlocks[(int)MigrateType.Movable][1] = 99999;

        var row = PagetypeinfoRenderer.Render(s).Split('\n').Single(l => l.StartsWith("Node    0, zone    DMA32, type      Movable", StringComparison.Ordinal));

        Assert.StartsWith("Node    0, zone    DMA32, type      Movable >100000  99999      0 ", row);
    }

    [Fact]
    public void Every_node_with_memory_repeats_the_headers_and_memoryless_nodes_print_nothing()
    {
        var lines = PagetypeinfoRenderer.Render(SyntheticMachine.Build()).Split('\n');

        Assert.Equal(3, lines.Count(l => l == "Page block order: 9"));
        Assert.Equal(3, lines.Count(l => l.StartsWith("Number of blocks type", StringComparison.Ordinal)));
        Assert.Contains("Node 2, zone  Movable            0          512            0            0            0 ", lines);
    }
}
