using NumaSim.Model.Stats;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Explicit page migration as a task's step: `{ migrate-to = NODES }` is migrate_pages(2) from every node to NODES.
/// Config: numasim.workload.tasks[].steps; outputs: vmstat pgmigrate_* and numa_pages_migrated, numastat, each
/// node's AnonPages.
/// </summary>
public sealed class MigratePagesTests : NumaSimTestKit
{
    private const long Pages = 4096;

    private static NumaScenario TouchThenMigrate(string nodes) => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M }
          { id = 1, cpus = "2-3", memory = 64M }
        ]
        distance = [[10, 21], [21, 10]]
        """).WithSeed(1)
        .WithStepTask("0", "{ touch = 16M }", $"{{ migrate-to = \"{nodes}\" }}");

    [Fact]
    public async Task Migrate_to_node_1_moves_every_page_the_task_wrote_on_node_0()
    {
        var run = await RunAsync(TouchThenMigrate("1"));

        // Each page allocated on node 1 (by CPU 0, so numa_miss/other there) and freed on node 0; the counters are
        // migrate_pages' alone: numa_pages_migrated is NUMA balancing's.
        Assert.Equal(Pages, run.Vmstat("pgmigrate_success"));
        Assert.Equal(0, run.Vmstat("pgmigrate_fail"));
        Assert.Equal(0, run.Vmstat("numa_pages_migrated"));
        Assert.Equal(0, AnonPages(run, 0));
        Assert.Equal(Pages, AnonPages(run, 1));
        // The new folios joined node 1's lruvec and the old ones left node 0's.
        Assert.Equal((0L, Pages), (LruAnon(run, 0), LruAnon(run, 1)));
        Assert.True(run.Numastat(1).Other >= Pages, $"node 1 gave CPU 0 {run.Numastat(1).Other} pages");
    }

    [Fact]
    public async Task Migrate_to_every_node_moves_nothing()
    {
        var run = await RunAsync(TouchThenMigrate("all"));

        Assert.Equal(0, run.Vmstat("pgmigrate_success"));
        Assert.Equal(Pages, AnonPages(run, 0));
    }

    [Fact]
    public async Task A_target_node_too_small_fails_the_page_that_finds_no_room_and_the_rest_stay()
    {
        var run = await RunAsync(NumaScenario.OnTopology("""
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M }
              { id = 1, cpus = "2-3", memory = 8M }
            ]
            distance = [[10, 21], [21, 10]]
            """).WithSeed(1).WithStepTask("0", "{ touch = 16M }", "{ migrate-to = \"1\" }"));

        // __GFP_THISNODE: node 1 fills (its reclaim finds nothing: anonymous memory, no swap), the folio that finds
        // no page counts pgmigrate_fail and -ENOMEM ends the call; no OOM kill, and every page is somewhere once.
        var moved = run.Vmstat("pgmigrate_success");
        Assert.InRange(moved, 1, Pages - 1);
        Assert.Equal(1, run.Vmstat("pgmigrate_fail"));
        Assert.Equal(0, run.Vmstat("oom_kill"));
        Assert.Equal(moved, AnonPages(run, 1));
        Assert.Equal(Pages - moved, AnonPages(run, 0));
    }

    /// <summary>The node's nr_anon_pages (its meminfo AnonPages).</summary>
    private static long LruAnon(SimulationState run, int node)
    {
        var stats = run.Machine.Nodes.Single(n => n.Node == node).NodeStats;
        return stats[NodeStatItem.NrActiveAnon] + stats[NodeStatItem.NrInactiveAnon];
    }

    private static long AnonPages(SimulationState run, int node) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[NodeStatItem.NrAnonPages];
}
