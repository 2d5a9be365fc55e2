namespace NumaSim.Scenarios.Tests;

/// <summary>
/// NUMA distance and memory policy: where a page goes (first touch, bind, interleave) and what a remote page
/// costs (DRAM latency x distance / 10). Config: a task's policy, topology.distance; outputs: numastat per node,
/// latency_ns.tlb_hit_remote.
/// </summary>
public sealed class NumaPolicyTests : NumaSimTestKit
{
    [Fact]
    public async Task Interleave_puts_every_other_page_on_the_remote_node_and_a_remote_hit_costs_the_distance()
    {
        var remote = Listen<RemoteAllocationServed>();
        var run = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 128, policy: "interleave:0-1", writeRatio: 1));

        // Interleave counts interleave_hit where it meant to go; node 1's pages are other_node for CPU 0.
        Assert.Equal(32, run.Numastat(1).InterleaveHit);
        Assert.Equal(32, run.Numastat(1).Other);
        var first = remote.FishForMessage<RemoteAllocationServed>(r => r.Order == 0);
        Assert.Equal((0, 0, 1), (first.Cpu, first.CpuNode, first.ZoneNode));
        // A TLB hit on a node-1 page: lookup 1 + DRAM 90 x 20/10.
        Assert.Equal(181, run.Latency("tlb_hit_remote").P50);
        Assert.Equal(91, run.Latency("tlb_hit_local").P50);
    }

    [Fact]
    public async Task Bind_to_the_other_node_makes_every_page_remote()
    {
        var run = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 64, policy: "bind:1", writeRatio: 1));

        // Only the 4 page-table pages are local: tables come from the faulting CPU's node whatever the mapping's policy.
        Assert.Equal(4, run.Numastat(0).Hit);
        Assert.Equal(64, run.Numastat(1).Hit);
        Assert.Equal(64, run.Numastat(1).Other);
    }
}
