using NumaSim.Model.Stats;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Automatic NUMA balancing (kernel.numa_balancing): a task's memory follows it to the node it moved to, through its
/// scan's PROT_NONE entries and the hinting faults that migrate each page. Config: numasim.sysctl.numa-balancing and
/// numa-balancing-scan; outputs: vmstat numa_* and pgmigrate_*, numastat, each node's AnonPages.
/// </summary>
public sealed class NumaBalancingTests : NumaSimTestKit
{
    private const long Pages = 4096;

    private static NumaScenario TouchMoveRead(int numaBalancing, string touch = "{ touch = 16M }") => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M }
          { id = 1, cpus = "2-3", memory = 64M }
        ]
        distance = [[10, 21], [21, 10]]
        """).WithSeed(1)
        .With($"sysctl.numa-balancing = {numaBalancing}")
        .WithStepTask("0", touch, "{ move-to = 2 }", "{ access = 3s, think-time = 20us }");

    [Fact]
    public async Task With_numa_balancing_the_pages_follow_the_task_to_its_new_node()
    {
        var run = await RunAsync(TouchMoveRead(1));

        // The scan (2 s into the task's runtime: twice the scan delay) marks every page, and each page's next read
        // migrates it: allocated on node 1 by CPU 2 (numa_hit there), freed on node 0.
        Assert.Equal(Pages, run.Vmstat("numa_pte_updates"));
        Assert.Equal(Pages, run.Vmstat("numa_hint_faults"));
        Assert.Equal(0, run.Vmstat("numa_hint_faults_local"));
        Assert.Equal(Pages, run.Vmstat("numa_pages_migrated"));
        Assert.Equal(Pages, run.Vmstat("pgmigrate_success"));
        Assert.Equal(0, run.Vmstat("pgmigrate_fail"));
        Assert.Equal(0, AnonPages(run, 0));
        Assert.Equal(Pages, AnonPages(run, 1));
        Assert.True(run.Numastat(1).Hit >= Pages, $"node 1 served {run.Numastat(1).Hit}");
    }

    [Fact]
    public async Task Huge_pages_are_marked_and_migrated_whole()
    {
        var run = await RunAsync(TouchMoveRead(1, "{ touch = 16M, thp = on }"));

        // 8 huge pages: one huge entry each for the scan (512 pages of numa_pte_updates apiece), one hinting fault each,
        // and each moves whole to node 1 (do_huge_pmd_numa_page), staying huge there.
        Assert.Equal(8, run.Vmstat("numa_huge_pte_updates"));
        Assert.Equal(Pages, run.Vmstat("numa_pte_updates"));
        Assert.Equal(8, run.Vmstat("numa_hint_faults"));
        Assert.Equal(8, run.Vmstat("thp_migration_success"));
        Assert.Equal(Pages, run.Vmstat("numa_pages_migrated"));
        Assert.Equal(Pages, run.Vmstat("pgmigrate_success"));
        Assert.Equal((0, Pages), (AnonPages(run, 0), AnonPages(run, 1)));
        Assert.Equal(Pages, run.Machine.Nodes.Single(n => n.Node == 1).NodeStats[NodeStatItem.NrAnonTransparentHugepages]);
    }

    [Fact]
    public async Task Without_numa_balancing_the_pages_stay_where_they_were_touched()
    {
        var run = await RunAsync(TouchMoveRead(0));

        Assert.Equal(0, run.Vmstat("numa_pte_updates"));
        Assert.Equal(0, run.Vmstat("numa_hint_faults"));
        Assert.Equal(0, run.Vmstat("numa_pages_migrated"));
        Assert.Equal(Pages, AnonPages(run, 0));
        Assert.Equal(0, AnonPages(run, 1));
    }

    /// <summary>The node's nr_anon_pages (its meminfo AnonPages).</summary>
    private static long AnonPages(SimulationState run, int node) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[NodeStatItem.NrAnonPages];
}
