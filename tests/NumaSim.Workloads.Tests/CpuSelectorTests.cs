using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

/// <summary>`cpus` by number, by node, by count and by place on a node, and how each fits a machine it was not written for.</summary>
public sealed class CpuSelectorTests
{
    /// <summary>Node 0: CPUs 0-1; node 1: CPUs 2-5; node 2: memory only.</summary>
    private static readonly MachineTopology Uneven = new(
        "uneven",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0, 1], [new ZoneSpec(ZoneType.Normal, 0x100000, 8192, 8192, 8192)]),
            new NodeSpec(1, [2, 3, 4, 5], [new ZoneSpec(ZoneType.Normal, 0x200000, 8192, 8192, 8192)]),
            new NodeSpec(2, [], [new ZoneSpec(ZoneType.Normal, 0x300000, 8192, 8192, 8192)]),
        ],
        [[10, 21, 31], [21, 10, 31], [31, 31, 10]],
        VmTunables.Default);

    [Theory]
    [InlineData("0-2,5", new[] { 0, 1, 2, 5 })]
    [InlineData("all", new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData("node:1", new[] { 2, 3, 4, 5 })]
    [InlineData("node:last", new[] { 2, 3, 4, 5 })] // node 2 has no CPUs: the last node with some is node 1
    [InlineData("node:1:2", new[] { 2, 3 })]
    [InlineData("node:1:16", new[] { 2, 3, 4, 5 })] // a count clamps to the CPUs the node has
    [InlineData("node:*:1", new[] { 0, 2 })]
    [InlineData("node:*:3", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("node:1:1-2", new[] { 3, 4 })]
    [InlineData("node:*:3-3", new[] { 1, 5 })] // node 0 has no fourth CPU: its last
    [InlineData("node:0:1-15", new[] { 1 })]
    [InlineData("node:0, 4", new[] { 0, 1, 4 })]
    [InlineData("node:0:1,node:1:1", new[] { 0, 2 })]
    [InlineData("node:0-1:1", new[] { 0, 2 })]
    public void Forms_select_these_cpus(string text, int[] expected)
    {
        var cpus = CpuSelector.Select(text, Uneven, out var problem);
        if (expected.Length == 0)
        {
            Assert.Empty(cpus);
            Assert.NotNull(problem);
            return;
        }
        Assert.Null(problem);
        Assert.Equal(expected, cpus);
    }

    [Theory]
    [InlineData("6", "CPU 6 is not in the topology (CPUs 0-5)")]
    [InlineData("node:3", "node 3 is not in the topology (nodes 0-2)")]
    [InlineData("node:2:4", "selects no CPU on this machine")]
    [InlineData("node:0:0", "expected a count K")]
    [InlineData("node:0:3-1", "expected a count K")]
    [InlineData("node:x", "expected a nodelist")]
    [InlineData("node:0:1:2", "expected a cpulist")]
    [InlineData("cpu0", "expected a cpulist")]
    [InlineData("", "expected a cpulist")]
    public void Wrong_or_empty_selections_say_why(string text, string problem)
    {
        Assert.Empty(CpuSelector.Select(text, Uneven, out var why));
        Assert.Contains(problem, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all", new[] { 0, 1, 2 })]
    [InlineData("*", new[] { 0, 1, 2 })]
    [InlineData("last", new[] { 2 })]
    [InlineData("0,last", new[] { 0, 2 })]
    [InlineData("1-2", new[] { 1, 2 })]
    public void Nodes_by_name(string text, int[] expected)
    {
        Assert.Equal(expected, NodeSelector.Nodes(text, Uneven, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_policy_over_all_nodes_interleaves_over_the_machines_nodes()
    {
        var policy = ScenarioLoader.ParsePolicy("interleave:all", Uneven, out var problem);
        Assert.Null(problem);
        Assert.Equal(new MemPolicy(MemPolicyMode.Interleave, [0, 1, 2]).ToString(), policy.ToString());
    }

    [Fact]
    public void A_policy_naming_a_missing_node_says_which()
    {
        ScenarioLoader.ParsePolicy("bind:3", Uneven, out var problem);
        Assert.Contains("node 3 is not in the topology", problem, StringComparison.Ordinal);
    }
}
