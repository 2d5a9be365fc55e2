using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Proc;

public class BuddyinfoRendererTests
{
    [Fact]
    public void Reference_free_lists_render_byte_identical_to_the_real_buddyinfo()
    {
        var s = ReferenceMachine.Build(FreeBlocksSource.Buddyinfo);

        Assert.Equal(RepositoryPaths.ReadReference("buddyinfo"), BuddyinfoRenderer.Render(s));
    }

    [Fact]
    public void Nodes_without_memory_print_no_rows()
    {
        var text = BuddyinfoRenderer.Render(SyntheticMachine.Build());

        Assert.Equal(
            ["Node 0, zone      DMA", "Node 0, zone    DMA32", "Node 0, zone   Normal", "Node 1, zone   Normal", "Node 2, zone  Movable"],
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..21]));
    }
}
