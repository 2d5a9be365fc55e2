using NumaSim.Model.Stats;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Swap as the actors run it: a task bound to a node touches more than the node holds, and reclaim writes its
/// oldest anonymous pages to the swap area instead of the OOM killer taking it (the CPU that runs the task unmaps
/// them when kswapd asks); reading them again faults them back in from swap. Config: numasim.topology.swap, a bind
/// policy, touch and access steps; outputs: vmstat's pswpout, pswpin, pgmajfault, pgscan_anon, meminfo's swap lines.
/// Huge folios cannot get a whole swap cluster here: reclaim splits each (thp_swpout_fallback) and swaps its pages.
/// </summary>
public sealed class SwapTests : NumaSimTestKit
{
    private const long MiB = 256; // pages

    /// <summary>Two nodes of 128 MiB, one CPU each, and 256 MiB of swap.</summary>
    private static NumaScenario SmallMachineWithSwap() => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0", memory = 128M }
          { id = 1, cpus = "1", memory = 128M }
        ]
        distance = [[10, 21], [21, 10]]
        swap = 256M
        """).WithSeed(1);

    [Fact]
    public async Task Touching_more_than_the_bound_node_holds_swaps_out_and_reading_it_again_swaps_back_in()
    {
        var run = await RunAsync(SmallMachineWithSwap().WithStepTask("0",
            """{ policy = "bind:0" }""", "{ touch = 192M }", "{ access = 20ms, think-time = 0 }"));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(0, run.Vmstat("oom_kill"));
        // Bound to node 0: nothing is allocated on node 1, and what does not fit went to swap.
        Assert.Equal(0, run.Numastat(1).Miss);
        var swappedOut = run.Vmstat("pswpout");
        Assert.InRange(swappedOut, 64 * MiB - 16 * MiB, 192 * MiB);
        Assert.True(run.Vmstat("pgscan_anon") >= run.Vmstat("pgsteal_anon"), "pgscan_anon counts every isolation");
        Assert.Equal(0, run.Vmstat("pgsteal_file"));
        // The second pass reads pages that are out in swap: each is a major fault that reads its slot back.
        Assert.True(run.Vmstat("pswpin") > 0, "pswpin");
        Assert.Equal(run.Vmstat("pswpin"), run.Vmstat("pgmajfault"));
        AssertEveryPageMappedOrInSwap(run, 192 * MiB);
    }

    [Fact]
    public async Task Huge_folios_reclaim_takes_are_split_and_their_pages_swapped_one_by_one()
    {
        var run = await RunAsync(SmallMachineWithSwap().WithStepTask("0", """{ policy = "bind:0" }""", "{ touch = 192M, thp = on }"));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(0, run.Vmstat("oom_kill"));
        var split = run.Vmstat("thp_swpout_fallback");
        Assert.True(split > 0, "huge folios split for swap");
        // Each split is one huge folio: its PMD gave way to a PTE table, and the folio to 512 pages.
        Assert.Equal(split, run.Vmstat("thp_split_page"));
        Assert.Equal(split, run.Vmstat("thp_split_pmd"));
        Assert.Equal(0, run.Vmstat("thp_swpout"));
        var hugeLeft = run.Machine.Nodes.Single(n => n.Node == 0).NodeStats[NodeStatItem.NrAnonTransparentHugepages];
        Assert.Equal((run.Vmstat("thp_fault_alloc") - split) * 512, hugeLeft);
        // What was swapped came from split folios and base-page faults: never more than they hold.
        var basePages = 192 * MiB - run.Vmstat("thp_fault_alloc") * 512;
        Assert.InRange(run.Vmstat("pswpout"), 1, split * 512 + basePages);
        AssertEveryPageMappedOrInSwap(run, 192 * MiB);
    }

    [Fact]
    public async Task Pages_a_task_unmaps_leave_the_LRU_before_another_task_can_swap_into_them()
    {
        // Two tasks bound to node 0 of a swapping machine, unmapping huge-page chunks as they go: a page one task's
        // munmap drains to the zone can be handed to the other's swap-in within microseconds, and must have left the
        // kswapd's LRU first (release_pages: off the LRU, then freed). Seed 5 is one where it was not.
        var run = await RunAsync(NumaScenario.OnTopology("""
            nodes = [
              { id = 0, cpus = "0-1", memory = 128M }
              { id = 1, cpus = "2-3", memory = 128M }
            ]
            distance = [[10, 21], [21, 10]]
            swap = 512M
            """).WithSeed(5)
            .WithTasks("0", "160M", 200_000, "random", "bind:0", writeRatio: 1.0, thp: true, munmapEvery: 3000, chunk: "4M")
            .WithTasks("1", "96M", 200_000, "sequential", "bind:0", writeRatio: 1.0, thp: true, munmapEvery: 5000, chunk: "2M"));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.True(run.Vmstat("pswpin") > 0, "pswpin");
        Assert.True(run.Vmstat("thp_swpout_fallback") > 0, "thp_swpout_fallback");
    }

    // Every page the task touched is mapped or out in swap (a slot holds it); every mapped page is on the LRU, and
    // besides them only folios the swap cache keeps.
    private static void AssertEveryPageMappedOrInSwap(SimulationState run, long touched)
    {
        var mapped = run.Vmstat("nr_anon_pages");
        var inSwap = run.Machine.SwapTotalPages - run.Machine.SwapFreePages!.Value;
        Assert.True(mapped + inSwap >= touched, $"mapped {mapped} + in swap {inSwap}");
        Assert.InRange(run.Vmstat("nr_active_anon") + run.Vmstat("nr_inactive_anon"), mapped, mapped + run.Vmstat("nr_swapcached"));
    }
}
