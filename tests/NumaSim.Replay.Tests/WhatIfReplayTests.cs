using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Replay;
using static NumaSim.Replay.Tests.TraceLines;

namespace NumaSim.Replay.Tests;

/// <summary>One machine's trace on another machine, or under another policy.</summary>
public sealed class WhatIfReplayTests
{
    /// <summary>Order-4 allocations from trace CPUs 0 and 9 (a 16-CPU, two-socket trace), none freed.</summary>
    private static readonly string Trace = TraceLines.Trace(
        PageAlloc(0, 1.0, 0x100000, 4),
        PageAlloc(9, 1.1, 0x100010, 4),
        PageAlloc(9, 1.2, 0x100020, 4),
        PageAlloc(0, 1.3, 0x100030, 4));

    private static NumaEvents Numa(ReplayResult r, int node) => r.Machine.Nodes.Single(n => n.Node == node).Numa;

    [Fact]
    public void Trace_cpus_map_onto_simulated_cpus_modulo_their_count()
    {
        var twoSocket = new TraceCpuMap(ReplayMachines.TwoSocket);
        var singleNode = new TraceCpuMap(ReplayMachines.SingleNode);

        Assert.Equal("trace_cpu % 16", twoSocket.Rule);
        Assert.Equal([0, 9, 8, 1], new[] { 0, 9, 24, 17 }.Select(c => twoSocket.CpuId(twoSocket.Index(c))));
        Assert.Equal([0, 1, 1, 0], new[] { 0, 9, 1, 8 }.Select(c => singleNode.CpuId(singleNode.Index(c))));
        Assert.Equal(1, twoSocket.Node(twoSocket.Index(24)));
    }

    [Fact]
    public void The_same_trace_on_one_node_and_on_two_sockets_gives_different_numastat()
    {
        var one = ReplayMachines.Replay(Trace, ReplayMachines.SingleNode);
        var two = ReplayMachines.Replay(Trace, ReplayMachines.TwoSocket);

        Assert.Equal(4, Numa(one, 0).Hit);
        Assert.Equal((2L, 2L), (Numa(two, 0).Hit, Numa(two, 1).Hit));
        Assert.Equal(2, two.Machine.Nodes.Single(n => n.Node == 1).Numa.Local);
        Assert.Equal("trace_cpu % 2", one.Summary.Trace!.CpuMap);
    }

    [Fact]
    public void Interleave_spreads_the_trace_over_both_nodes_where_local_keeps_each_cpu_on_its_own()
    {
        var local = ReplayMachines.Replay(Trace, ReplayMachines.TwoSocket);
        var interleave = ReplayMachines.Replay(Trace, ReplayMachines.TwoSocket, ReplayPolicy.Parse("interleave", ReplayMachines.TwoSocket, out var problem));

        Assert.Null(problem);
        Assert.Equal("interleave:0,1", interleave.Summary.Trace!.Policy);
        Assert.Equal(0, Numa(local, 0).InterleaveHit + Numa(local, 1).InterleaveHit);
        Assert.Equal(4, Numa(interleave, 0).InterleaveHit + Numa(interleave, 1).InterleaveHit);
        Assert.Equal(2, interleave.Summary.Allocations.RemoteServed);
        Assert.Equal(0, local.Summary.Allocations.RemoteServed);
    }

    [Fact]
    public void Bind_puts_every_page_on_the_bound_node()
    {
        var bound = ReplayMachines.Replay(Trace, ReplayMachines.TwoSocket, ReplayPolicy.Parse("bind:1", ReplayMachines.TwoSocket, out _));

        Assert.Equal((0L, 4L), (Numa(bound, 0).Hit + Numa(bound, 0).Miss, Numa(bound, 1).Hit + Numa(bound, 1).Miss));
        Assert.Equal(2, Numa(bound, 1).Other);
    }

    [Theory]
    [InlineData("local", MemPolicyMode.Local)]
    [InlineData("interleave", MemPolicyMode.Interleave)]
    [InlineData("interleave:1", MemPolicyMode.Interleave)]
    [InlineData("bind:0", MemPolicyMode.Bind)]
    [InlineData("preferred:1", MemPolicyMode.Preferred)]
    public void Policies_parse_as_the_command_line_gives_them(string text, MemPolicyMode mode)
    {
        var policy = ReplayPolicy.Parse(text, ReplayMachines.TwoSocket, out var problem);

        Assert.Null(problem);
        Assert.Equal(mode, policy.Mode);
    }

    [Theory]
    [InlineData("bind:2", "node 2 is not in the topology")]
    [InlineData("sideways", "expected default, local")]
    public void A_bad_policy_says_why(string text, string why)
    {
        ReplayPolicy.Parse(text, ReplayMachines.TwoSocket, out var problem);

        Assert.Contains(why, problem, StringComparison.Ordinal);
    }
}
