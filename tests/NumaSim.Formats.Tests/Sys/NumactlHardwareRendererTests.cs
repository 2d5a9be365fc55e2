using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Sys;

public class NumactlHardwareRendererTests
{
    [Fact]
    public void Reference_machine_renders_byte_identical_to_the_real_numactl_output()
    {
        Assert.Equal(RepositoryPaths.ReadReference("numactl-hardware.txt"), NumactlHardwareRenderer.Render(ReferenceMachine.Build()));
    }

    [Fact]
    public void Three_nodes_render_as_numactl_prints_them()
    {
        const string expected =
            "available: 3 nodes (0-2)\n" +
            "node 0 cpus: 0 1 2 3 4 5 6 7\n" +
            "node 0 size: 7827 MB\n" +
            "node 0 free: 3913 MB\n" +
            "node 1 cpus: 8 9 10 11 12 13 14 15\n" +
            "node 1 size: 7812 MB\n" +
            "node 1 free: 3906 MB\n" +
            "node 2 cpus:\n" +
            "node 2 size: 1024 MB\n" +
            "node 2 free: 512 MB\n" +
            "node distances:\n" +
            "node   0   1   2 \n" +
            "  0:  10  21  30 \n" +
            "  1:  21  10  30 \n" +
            "  2:  30  30  10 \n";

        Assert.Equal(expected, NumactlHardwareRenderer.Render(SyntheticMachine.Build()));
    }
}
