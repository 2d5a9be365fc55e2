using NumaSim.Model.Stats;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Demotion as the actors run it: a task bound to a DRAM node touches more than the node holds on a machine with a
/// memory-only node in a slower memory tier and no swap; with /sys/kernel/mm/numa/demotion_enabled on, kswapd and
/// direct reclaim migrate its oldest anonymous pages there (the CPU running the task remaps them) instead of the OOM
/// killer taking it; a task reading a file larger than its node has the oldest page cache moved there rather than
/// dropped. Config: numasim.sysctl.demotion-enabled, per-node access figures; outputs: vmstat pgdemote_*,
/// pgmigrate_*, each node's AnonPages and LRU.
/// </summary>
public sealed class DemotionTests : NumaSimTestKit
{
    private const long MiB = 256; // pages

    /// <summary>Two DRAM nodes of 128 MiB with a CPU each and a memory-only node of 256 MiB rated as a CXL expander.</summary>
    private const string ReadFile = """{ read-file = 192M, file = "big" }""";

    private static NumaScenario Tiered(bool demotion, string step = "{ touch = 192M }") => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0", memory = 128M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
          { id = 1, cpus = "1", memory = 128M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
          { id = 2, cpus = "", memory = 256M, access { read-latency = 200, write-latency = 200, read-bandwidth = 40960, write-bandwidth = 40960 } }
        ]
        distance = [[10, 21, 24], [21, 10, 28], [24, 28, 10]]
        """).WithSeed(1).With($"sysctl.demotion-enabled = {(demotion ? "on" : "off")}")
        .WithStepTask("0", """{ policy = "bind:0" }""", step);

    [Fact]
    public async Task Touching_more_than_the_bound_node_holds_demotes_the_overflow_to_the_memory_only_node()
    {
        var run = await RunAsync(Tiered(demotion: true));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(0, run.Vmstat("oom_kill"));
        var demoted = run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct");
        Assert.InRange(demoted, 64 * MiB, 192 * MiB);
        Assert.True(run.Vmstat("pgdemote_kswapd") > 0, "kswapd demotes");
        // Each demoted page was allocated on node 2 and its source freed on node 0: one migration each, and every page
        // the task touched is on node 0 or node 2 exactly once, on that node's lruvec.
        Assert.Equal(demoted, run.Vmstat("pgmigrate_success"));
        Assert.Equal(0, run.Vmstat("pgmigrate_fail"));
        Assert.Equal(demoted, AnonPages(run, 2));
        Assert.Equal(192 * MiB, AnonPages(run, 0) + AnonPages(run, 2));
        Assert.Equal((AnonPages(run, 0), AnonPages(run, 2)), (LruAnon(run, 0), LruAnon(run, 2)));
        // Reclaim counted each demoted page reclaimed (pgsteal) and freed (pgfree); without swap nothing else went.
        Assert.Equal(demoted, run.Vmstat("pgsteal_anon"));
        Assert.Equal(0, run.Vmstat("pswpout"));
        // Bound to node 0: the task's own faults never fell back; node 2's pages are reclaim's.
        Assert.Equal(0, run.Numastat(0).Miss);
        Assert.Equal(0, AnonPages(run, 1));
    }

    [Fact]
    public async Task A_demotion_target_below_its_low_watermark_has_its_kswapd_woken_and_swapping_to_make_room()
    {
        // alloc_demote_folio's GFP_NOWAIT wakes the target's kswapd when its zones are below the low watermark: node 2,
        // the lowest tier, then swaps out the oldest of what was demoted to it, and demotion from node 0 goes on past what
        // node 2 holds. Without the wake node 2 only filled, and node 0 swapped its overflow itself.
        var run = await RunAsync(NumaScenario.OnTopology("""
            nodes = [
              { id = 0, cpus = "0", memory = 128M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
              { id = 1, cpus = "1", memory = 128M, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
              { id = 2, cpus = "", memory = 64M, access { read-latency = 200, write-latency = 200, read-bandwidth = 40960, write-bandwidth = 40960 } }
            ]
            distance = [[10, 21, 24], [21, 10, 28], [24, 28, 10]]
            swap = 256M
            """).WithSeed(1).With("sysctl.demotion-enabled = on").WithStepTask("0", """{ policy = "bind:0" }""", "{ touch = 256M }"));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(0, run.Vmstat("oom_kill"));
        var demoted = run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct");
        Assert.True(demoted > AnonPages(run, 2) + 4 * MiB, $"demoted {demoted}, node 2 holds {AnonPages(run, 2)}");
        Assert.True(run.Vmstat("pswpout") > 0, "swapped");
        // Every page the task touched is on node 0, on node 2 or in swap.
        Assert.Equal(256 * MiB, AnonPages(run, 0) + AnonPages(run, 2) + run.Vmstat("pswpout") - run.Vmstat("pswpin"));
    }

    [Fact]
    public async Task Reading_more_than_the_bound_node_holds_demotes_the_oldest_page_cache_to_the_memory_only_node()
    {
        var run = await RunAsync(Tiered(demotion: true, ReadFile));

        Assert.True(run.Complete, run.IncompleteReason);
        var demoted = run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct");
        Assert.InRange(demoted, 64 * MiB, 192 * MiB);
        // Each demoted folio was copied into a page allocated on node 2 (numa_hit there, other_node: reclaim ran on node
        // 0) and its source freed; it counts as reclaimed, and node 2 has room for all of it: nothing is dropped.
        Assert.Equal(demoted, run.Vmstat("pgmigrate_success"));
        Assert.Equal(demoted, run.Vmstat("pgsteal_file"));
        Assert.Equal((demoted, demoted), (run.Numastat(2).Hit, run.Numastat(2).Other));
        // The whole file stays cached, on node 0 or node 2, each page on one node's LRU only.
        Assert.Equal(demoted, FilePages(run, 2));
        Assert.Equal(192 * MiB, FilePages(run, 0) + FilePages(run, 2));
        Assert.Equal(0, FilePages(run, 1));
    }

    [Fact]
    public async Task Without_demotion_the_page_cache_the_read_outgrows_is_dropped()
    {
        var run = await RunAsync(Tiered(demotion: false, ReadFile));

        Assert.Equal(0, run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct"));
        Assert.True(run.Vmstat("pgsteal_file") >= 64 * MiB, "reclaim drops what node 0 cannot hold");
        Assert.Equal(0, FilePages(run, 2));
    }

    [Fact]
    public async Task Huge_folios_are_demoted_whole()
    {
        var run = await RunAsync(Tiered(demotion: true, "{ touch = 192M, thp = on }"));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(0, run.Vmstat("oom_kill"));
        var huge = run.Vmstat("thp_migration_success");
        Assert.True(huge > 0, "huge folios moved");
        // Each moved huge folio is 512 pages of pgdemote and pgmigrate_success, and stays huge on node 2.
        var demoted = run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct");
        Assert.Equal(demoted, run.Vmstat("pgmigrate_success"));
        Assert.Equal(huge * 512, NodeStat(run, 2, NodeStatItem.NrAnonTransparentHugepages));
        Assert.Equal(demoted, AnonPages(run, 2));
        Assert.Equal(192 * MiB, AnonPages(run, 0) + AnonPages(run, 2));
        Assert.Equal((AnonPages(run, 0), AnonPages(run, 2)), (LruAnon(run, 0), LruAnon(run, 2)));
    }

    [Fact]
    public async Task Without_demotion_the_same_task_is_oom_killed()
    {
        var run = await RunAsync(Tiered(demotion: false));

        Assert.Equal(1, run.Vmstat("oom_kill"));
        Assert.Equal(0, run.Vmstat("pgdemote_kswapd") + run.Vmstat("pgdemote_direct"));
        Assert.Equal(0, AnonPages(run, 2));
    }

    [Fact]
    public async Task A_demoting_run_gives_the_same_state_run_after_run()
    {
        var first = await RunAsync(Tiered(demotion: true));
        var second = await RunAsync(Tiered(demotion: true));

        Assert.Equal(first.Vmstat("pgdemote_kswapd"), second.Vmstat("pgdemote_kswapd"));
        Assert.Equal(first.Vmstat("pgdemote_direct"), second.Vmstat("pgdemote_direct"));
        Assert.Equal(first.SimulatedNs, second.SimulatedNs);
        Assert.Equal(AnonPages(first, 2), AnonPages(second, 2));
    }

    private static long LruAnon(SimulationState run, int node)
    {
        var stats = run.Machine.Nodes.Single(n => n.Node == node).NodeStats;
        return stats[NodeStatItem.NrActiveAnon] + stats[NodeStatItem.NrInactiveAnon];
    }

    private static long FilePages(SimulationState run, int node) => NodeStat(run, node, NodeStatItem.NrFilePages);

    private static long NodeStat(SimulationState run, int node, NodeStatItem item) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[item];

    private static long AnonPages(SimulationState run, int node) => run.Machine.Nodes.Single(n => n.Node == node).NodeStats[NodeStatItem.NrAnonPages];
}
