namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Memory tiering (kernel.numa_balancing = 2) in a run: a task's pages on the memory-only node of a lower tier come
/// back to its CPU's node as it reads them, within the hot threshold and the rate limit. Config:
/// numasim.sysctl.numa-balancing, numa-balancing-hot-threshold, numa-balancing-promote-rate-limit; outputs: vmstat
/// pgpromote_*, numa_pages_migrated, each node's AnonPages.
/// </summary>
public sealed class PromotionTests : NumaSimTestKit
{
    private const long Pages = 4096;

    private static NumaScenario TouchDemoteRead(string sysctl, string touch = "{ touch = 16M }") => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
          { id = 1, cpus = "", memory = 64M, access { read-latency = 200, write-latency = 200, read-bandwidth = 40960, write-bandwidth = 40960 } }
        ]
        distance = [[10, 24], [24, 10]]
        """).WithSeed(1)
        .With(sysctl)
        .WithStepTask("0", touch, "{ migrate-to = \"1\" }", "{ access = 3s, think-time = 20us }");

    [Fact]
    public async Task Mode_2_promotes_every_page_the_task_reads_back_to_its_node()
    {
        var run = await RunAsync(TouchDemoteRead("sysctl.numa-balancing = 2"));

        Assert.Equal(Pages, run.Vmstat("numa_pte_updates"));
        Assert.Equal(Pages, run.Vmstat("pgpromote_candidate"));
        Assert.Equal(Pages, run.Vmstat("pgpromote_success"));
        Assert.Equal(Pages, run.Vmstat("numa_pages_migrated"));
        Assert.Equal(Pages, AnonPages(run, 0));
        Assert.Equal(0, AnonPages(run, 1));
    }

    [Fact]
    public async Task The_rate_limit_leaves_what_is_past_it_on_the_lower_tier()
    {
        // 4 MB/s: 1,024 pages a second. The one scan of the 3 s read (2 s into the task's runtime) marks every page
        // and their faults all come within about 100 ms: every one a candidate, the first 1,024 promoted.
        var run = await RunAsync(TouchDemoteRead("sysctl { numa-balancing = 2, numa-balancing-promote-rate-limit = 4 }"));

        Assert.Equal(Pages, run.Vmstat("numa_pte_updates"));
        Assert.Equal(Pages, run.Vmstat("pgpromote_candidate"));
        Assert.Equal(1024, run.Vmstat("pgpromote_success"));
        Assert.Equal(1024, AnonPages(run, 0));
        Assert.Equal(Pages - 1024, AnonPages(run, 1));
    }

    [Fact]
    public async Task Huge_pages_are_promoted_whole_and_count_their_pages_against_the_rate_limit()
    {
        // 8 huge pages, moved whole to node 1 by migrate_pages and back by promotion. At 4 MB/s (1,024 pages a second)
        // the rate limit lets two through: each counts its 512 pages as candidates.
        var run = await RunAsync(TouchDemoteRead("sysctl { numa-balancing = 2, numa-balancing-promote-rate-limit = 4 }", "{ touch = 16M, thp = on }"));

        Assert.Equal(8, run.Vmstat("numa_huge_pte_updates"));
        Assert.Equal(Pages, run.Vmstat("pgpromote_candidate"));
        Assert.Equal(1024, run.Vmstat("pgpromote_success"));
        Assert.Equal(8 + 2, run.Vmstat("thp_migration_success"));
        Assert.Equal((1024, Pages - 1024), (AnonPages(run, 0), AnonPages(run, 1)));
    }

    [Fact]
    public async Task Mode_0_leaves_the_pages_on_the_lower_tier()
    {
        var run = await RunAsync(TouchDemoteRead("sysctl.numa-balancing = 0"));

        Assert.Equal(0, run.Vmstat("numa_pte_updates"));
        Assert.Equal(0, run.Vmstat("pgpromote_success"));
        Assert.Equal(Pages, AnonPages(run, 1));
    }

    [Fact]
    public async Task Pages_a_bound_touch_put_on_the_lower_tier_come_back_once_the_task_drops_the_binding()
    {
        // set_mempolicy binds the task, not its mapping: once the task is back on the default policy, mpol_misplaced
        // judges the hinting faults on the bound touch's pages by the default policy and promotes them.
        var run = await RunAsync(TouchDemoteRead("sysctl.numa-balancing = 2")
            .WithStepTask("1", "{ policy = \"bind:1\" }", "{ touch = 16M }", "{ policy = \"default\" }", "{ access = 3s, think-time = 20us }"));

        Assert.Equal(2 * Pages, run.Vmstat("pgpromote_success"));
        Assert.Equal(2 * Pages, AnonPages(run, 0));
        Assert.Equal(0, AnonPages(run, 1));
    }

    [Fact]
    public async Task A_promotion_to_a_full_node_wakes_its_kswapd_which_demotes_to_the_promo_watermark_to_make_room()
    {
        // Task 1 binds to node 0 and fills it: reclaim demotes its overflow to node 1, leaving node 0 balanced at its
        // high watermark. Task 0's pages on node 1 then find node 0 short of room (migrate_balanced_pgdat); each such
        // hinting fault wakes node 0's kswapd, which in the tiering mode balances to the promo watermark by demoting
        // task 1's older pages, so the promotions go on until all of task 0's pages are back.
        var run = await RunAsync(NumaScenario.OnTopology("""
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
              { id = 1, cpus = "", memory = 128M, access { read-latency = 200, write-latency = 200, read-bandwidth = 40960, write-bandwidth = 40960 } }
            ]
            distance = [[10, 24], [24, 10]]
            """).WithSeed(1)
            .With("sysctl { numa-balancing = 2, demotion-enabled = on }")
            .WithStepTask("1", "{ policy = \"bind:0\" }", "{ touch = 64M }")
            .WithStepTask("0", "{ policy = \"bind:1\" }", "{ touch = 16M }", "{ policy = \"default\" }", "{ access = 3s, think-time = 20us }"));

        // Without the wake-up about 480 pages come back, those the fill's last kswapd run left room for.
        Assert.Equal(0, run.Vmstat("oom_kill"));
        Assert.InRange(run.Vmstat("pgpromote_success"), Pages * 9 / 10, Pages);
        Assert.True(run.Vmstat("pgdemote_kswapd") > run.Vmstat("pgpromote_success"), $"kswapd demoted {run.Vmstat("pgdemote_kswapd")}");
    }

    private static long AnonPages(SimulationState run, int node) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[Model.Stats.NodeStatItem.NrAnonPages];
}
