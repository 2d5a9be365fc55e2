namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Swap as the actors run it: a task bound to a node touches more than the node holds, and reclaim writes its
/// oldest anonymous pages to the swap area instead of the OOM killer taking it (the CPU that runs the task unmaps
/// them when kswapd asks); reading them again faults them back in from swap. Config: numasim.topology.swap, a bind
/// policy, touch and access steps; outputs: vmstat's pswpout, pswpin, pgmajfault, pgscan_anon, meminfo's swap lines.
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
        // Every page the task touched is mapped or out in swap (a slot holds it); every mapped page is on the LRU, and
        // besides them only folios the swap cache keeps.
        var mapped = run.Vmstat("nr_anon_pages");
        var inSwap = run.Machine.SwapTotalPages - run.Machine.SwapFreePages!.Value;
        Assert.True(mapped + inSwap >= 192 * MiB, $"mapped {mapped} + in swap {inSwap}");
        Assert.InRange(run.Vmstat("nr_active_anon") + run.Vmstat("nr_inactive_anon"), mapped, mapped + run.Vmstat("nr_swapcached"));
    }
}
