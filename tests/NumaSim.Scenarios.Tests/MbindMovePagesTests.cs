using NumaSim.Model.Stats;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// mbind(2) and move_pages(2) as a task's steps: `{ mbind = POLICY, move = on }` gives the task's mappings so far a
/// policy and moves the pages off its nodes; `{ move-pages = NODES }` moves every page, the i-th to the (i mod n)-th
/// node. Config: numasim.workload.tasks[].steps; outputs: vmstat pgmigrate_* and numa_pages_migrated, numastat,
/// each node's AnonPages.
/// </summary>
public sealed class MbindMovePagesTests : NumaSimTestKit
{
    private const long Pages = 4096;

    private static NumaScenario TouchThen(params string[] steps) => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M }
          { id = 1, cpus = "2-3", memory = 64M }
        ]
        distance = [[10, 21], [21, 10]]
        """).WithSeed(1)
        .WithStepTask("0", ["{ touch = 16M }", .. steps]);

    [Fact]
    public async Task Mbind_with_move_takes_every_page_to_the_bound_node()
    {
        var run = await RunAsync(TouchThen("{ mbind = \"bind:1\", move = on }"));

        // Allocated under bind:1: node 1's zone is the preferred one, so numa_hit there; no numa_pages_migrated.
        Assert.Equal(Pages, run.Vmstat("pgmigrate_success"));
        Assert.Equal(0, run.Vmstat("numa_pages_migrated"));
        Assert.Equal((0L, Pages), (AnonPages(run, 0), AnonPages(run, 1)));
        Assert.True(run.Numastat(1).Hit >= Pages, $"node 1's numa_hit is {run.Numastat(1).Hit}");
    }

    [Fact]
    public async Task Mbind_without_move_leaves_the_pages_and_a_later_touch_follows_the_task_policy()
    {
        var run = await RunAsync(TouchThen("{ mbind = \"bind:1\" }", "{ touch = 16M }"));

        // The second mapping is new: mbind gave only the first one the policy.
        Assert.Equal(0, run.Vmstat("pgmigrate_success"));
        Assert.Equal((2 * Pages, 0L), (AnonPages(run, 0), AnonPages(run, 1)));
    }

    [Fact]
    public async Task Move_pages_to_two_nodes_moves_every_other_page()
    {
        var run = await RunAsync(TouchThen("{ move-pages = \"0-1\" }"));

        Assert.Equal(Pages / 2, run.Vmstat("pgmigrate_success"));
        Assert.Equal(0, run.Vmstat("numa_pages_migrated"));
        Assert.Equal((Pages / 2, Pages / 2), (AnonPages(run, 0), AnonPages(run, 1)));
    }

    [Fact]
    public async Task Move_pages_to_two_nodes_sends_each_huge_page_back_and_forth()
    {
        var run = await RunAsync(NumaScenario.OnTopology("""
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M }
              { id = 1, cpus = "2-3", memory = 64M }
            ]
            distance = [[10, 21], [21, 10]]
            """).WithSeed(1).WithStepTask("0", "{ touch = 4M, thp = on }", "{ move-pages = \"0-1\" }"));

        // Addresses 1..511 of each huge page each move it (do_pages_move flushes at every change of node), as the
        // kernel does (docs/validation.md, move-pages-thp); every page freed on the way left the LRU.
        Assert.Equal(2 * 511 * 512, run.Vmstat("pgmigrate_success"));
        Assert.Equal((0L, 1024L), (AnonPages(run, 0), AnonPages(run, 1)));
        var lru = run.Machine.Nodes.Single(n => n.Node == 1).NodeStats;
        Assert.Equal(1024, lru[NodeStatItem.NrActiveAnon] + lru[NodeStatItem.NrInactiveAnon]);
    }

    private static long AnonPages(SimulationState run, int node) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[NodeStatItem.NrAnonPages];
}
