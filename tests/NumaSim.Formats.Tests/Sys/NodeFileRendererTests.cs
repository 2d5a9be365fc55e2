using System.Text.RegularExpressions;
using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Sys;

public class NodeFileRendererTests
{
    private static readonly Model.Snapshots.MachineSnapshot Reference = ReferenceMachine.WithSysNumastat(ReferenceMachine.Build());

    [Fact]
    public void Numastat_is_identical_to_the_real_file_when_fed_the_same_counters()
    {
        Assert.Equal(RepositoryPaths.ReadReference("sys-node0/numastat"), NodeNumastatRenderer.Render(Reference, 0));
    }

    [Fact]
    public void Distance_is_identical_to_the_real_file()
    {
        Assert.Equal(RepositoryPaths.ReadReference("sys-node0/distance"), NodeDistanceRenderer.Render(Reference, 0));
    }

    [Fact]
    public void Cpulist_is_identical_to_the_real_file()
    {
        Assert.Equal(RepositoryPaths.ReadReference("sys-node0/cpulist"), NodeCpulistRenderer.Render(Reference, 0));
    }

    [Fact]
    public void Meminfo_has_the_real_labels_in_order_and_the_real_columns()
    {
        var real = RepositoryPaths.ReadReference("sys-node0/meminfo").Split('\n');
        var rendered = NodeMeminfoRenderer.Render(Reference, 0).Split('\n');

        Assert.Equal(real.Select(Label), rendered.Select(Label));
        // Same column alignment: every value ends where the real one does.
        Assert.Equal(real.Select(l => l.Length), rendered.Select(l => l.Length));
    }

    [Theory]
    [InlineData("MemTotal")]
    [InlineData("Dirty")]
    [InlineData("FilePages")]
    [InlineData("Mapped")]
    [InlineData("AnonPages")]
    [InlineData("Shmem")]
    [InlineData("KernelStack")]
    [InlineData("KReclaimable")]
    [InlineData("Slab")]
    [InlineData("SReclaimable")]
    [InlineData("SUnreclaim")]
    [InlineData("FileHugePages")]
    [InlineData("HugePages_Total")]
    public void Meminfo_lines_derived_from_the_same_counters_are_identical(string label)
    {
        var real = RepositoryPaths.ReadReference("sys-node0/meminfo").Split('\n');
        var rendered = NodeMeminfoRenderer.Render(Reference, 0).Split('\n');

        Assert.Equal(real.Single(l => Label(l) == label), rendered.Single(l => Label(l) == label));
    }

    [Fact]
    public void Meminfo_of_a_node_without_memory_is_all_zero_in_the_same_layout()
    {
        var text = NodeMeminfoRenderer.Render(SyntheticMachine.Build(), 2);

        Assert.StartsWith("Node 2 MemTotal:        1048576 kB\nNode 2 MemFree:          524288 kB\nNode 2 MemUsed:          524288 kB\n", text);
        Assert.All(text.TrimEnd('\n').Split('\n'), l => Assert.Matches(@"^Node \d+ \S+: +\d+( kB)?$", l));
    }

    [Fact]
    public void Cpumap_is_one_hex_group_as_wide_as_nr_cpu_ids_needs()
    {
        var s = SyntheticMachine.Build(); // 16 CPU ids: groups of 4 hex digits
        Assert.Equal("00ff\n", NodeCpumapRenderer.Render(s, 0));
        Assert.Equal("ff00\n", NodeCpumapRenderer.Render(s, 1));
        Assert.Equal("0000\n", NodeCpumapRenderer.Render(s, 2));
        Assert.Equal("3\n", NodeCpumapRenderer.Render(Reference, 0));
    }

    [Fact]
    public void Node_state_lists_follow_the_kernel_masks()
    {
        var s = SyntheticMachine.Build();

        Assert.Equal("0-2\n", NodeStateRenderer.Render(s, NodeState.Possible));
        Assert.Equal("0-2\n", NodeStateRenderer.Render(s, NodeState.Online));
        Assert.Equal("0-1\n", NodeStateRenderer.Render(s, NodeState.HasCpu));
        Assert.Equal("0-2\n", NodeStateRenderer.Render(s, NodeState.HasMemory));
        // Node 2 has only ZONE_MOVABLE memory: not N_NORMAL_MEMORY.
        Assert.Equal("0-1\n", NodeStateRenderer.Render(s, NodeState.HasNormalMemory));
    }

    [Fact]
    public void Distance_and_cpulist_of_a_cpu_less_node()
    {
        var s = SyntheticMachine.Build();

        Assert.Equal("30 30 10\n", NodeDistanceRenderer.Render(s, 2));
        Assert.Equal("\n", NodeCpulistRenderer.Render(s, 2));
        Assert.Equal("8-15\n", NodeCpulistRenderer.Render(s, 1));
    }

    private static string Label(string line) =>
        Regex.Match(line, @"^Node \d+ ([^:]+):").Groups[1].Value;
}
