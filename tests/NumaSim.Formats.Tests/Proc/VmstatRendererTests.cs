using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Proc;

public class VmstatRendererTests
{
    [Fact]
    public void Every_real_key_appears_once_in_the_real_order()
    {
        var real = Keys(RepositoryPaths.ReadReference("vmstat"));

        Assert.Equal(real, Keys(VmstatRenderer.Render(ReferenceMachine.Build())));
    }

    [Fact]
    public void Values_come_from_zones_nodes_and_events()
    {
        var real = ReferenceCounters.NameValues(RepositoryPaths.ReadReference("vmstat"));
        var rendered = ReferenceCounters.NameValues(VmstatRenderer.Render(ReferenceMachine.Build()));

        // Free pages as summed over the zoneinfo snapshot (3840 + 772808 + 146616).
        Assert.Equal(923264, rendered["nr_free_pages"]);
        Assert.Equal(real["nr_free_pages_blocks"], rendered["nr_free_pages_blocks"]);
        Assert.Equal(real["nr_file_hugepages"], rendered["nr_file_hugepages"]);
        Assert.Equal(real["nr_slab_unreclaimable"], rendered["nr_slab_unreclaimable"]);
        Assert.Equal(real["numa_interleave"], rendered["numa_interleave"]);
        foreach (var name in VmstatItemNames.EventItems)
        {
            Assert.Equal(real[name], rendered[name]);
        }
        Assert.Equal(0, rendered["nr_zone_active_file"]);
        Assert.Equal(0, rendered["nr_unstable"]);
    }

    private static List<string> Keys(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];
}
