using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Sys;

public class NumastatToolRendererTests
{
    [Fact]
    public void Table_has_16_wide_columns_one_per_node_as_numastat_prints_without_arguments()
    {
        // Node 0 sums three zones, node 1 one, node 2 one (see SyntheticMachine).
        const string expected =
            "                           node0           node1           node2\n" +
            "numa_hit                    3000            2000            3000\n" +
            "numa_miss                      0               1               2\n" +
            "numa_foreign                   0               2               4\n" +
            "interleave_hit                21               7               7\n" +
            "local_node                  3000            2000            3000\n" +
            "other_node                     0               1               2\n";

        Assert.Equal(expected, NumastatToolRenderer.Render(SyntheticMachine.Build()));
    }
}
