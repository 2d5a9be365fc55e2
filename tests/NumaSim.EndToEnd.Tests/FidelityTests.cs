using System.Text.Json;
using NumaSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// The fidelity suite: each shipped scenario of config/fidelity runs on the real kernel under QEMU
/// (Linux <see cref="FactWhenKernelAttribute.ValidatedKernel"/>, 2 nodes of 512 MiB) and on the simulator, by
/// `numasim validate`, and the counters that matter agree within 3 %: numastat per node always, and the vmstat
/// counters the scenario is about. docs/validation.md publishes the whole table of each. One boot per scenario,
/// about 10 s each; the tests of this class run one after another.
/// </summary>
public sealed class FidelityTests(ITestOutputHelper output)
{
    [FactWhenKernel]
    public void First_touch_allocates_on_the_local_node() =>
        Validate("first-touch", "vmstat pgfault", "vmstat numa_hit", "vmstat nr_anon_pages", "meminfo node0 AnonPages");

    [FactWhenKernel]
    public void Interleave_alternates_between_the_nodes() =>
        Validate("interleave", "vmstat numa_interleave", "numastat node0 interleave_hit", "numastat node1 interleave_hit", "vmstat pgfault");

    [FactWhenKernel]
    public void Weighted_interleave_gives_each_node_its_weight()
    {
        var rows = Rows(Validate("weighted-interleave", "numastat node0 numa_hit", "numastat node1 numa_hit", "numastat node1 other_node", "vmstat pgfault",
            "meminfo node0 AnonPages", "meminfo node1 AnonPages"));

        // Three pages of four on node 0 (weights 3 and 1); 6.12 counts no interleave_hit for the weighted mode.
        Assert.InRange(rows["numastat node0 numa_hit"].Real / (double)rows["numastat node1 numa_hit"].Real, 2.9, 3.1);
        Assert.False(rows.ContainsKey("numastat node0 interleave_hit"), "interleave_hit moved");
    }

    [FactWhenKernel]
    public void Preferred_many_fills_its_node_then_falls_back_to_the_local_one() =>
        Validate("preferred-many", "numastat node1 numa_hit", "numastat node1 other_node", "numastat node0 local_node", "vmstat pgfault",
            "meminfo node0 AnonPages", "meminfo node1 AnonPages", "vmstat pageoutrun");

    [FactWhenKernel]
    public void Bind_to_the_other_node_allocates_there_only() =>
        Validate("bind-remote", "numastat node1 numa_hit", "numastat node1 other_node", "vmstat numa_other", "meminfo node1 AnonPages");

    [FactWhenKernel]
    public void Thp_faults_map_huge_pages() =>
        Validate("thp", "vmstat thp_fault_alloc", "vmstat nr_anon_transparent_hugepages", "meminfo node0 AnonHugePages");

    [FactWhenKernel]
    public void A_spill_over_capacity_falls_back_to_the_other_node() =>
        Validate("spill", "numastat node1 numa_miss", "numastat node0 numa_foreign", "vmstat numa_miss", "vmstat pgfault", "vmstat nr_anon_pages",
            "vmstat nr_free_pages", "meminfo node0 MemFree", "meminfo node1 MemFree");

    [FactWhenKernel]
    public void A_spill_over_three_nodes_falls_back_in_the_order_of_distance()
    {
        // Node 0 fills to its low watermark, then node 1 (distance 20) to its own, then node 2 (30). How far node 0
        // gets moves from boot to boot on the kernel by about 3 % (numa_hit 81,173 and 84,136 on two boots), and
        // node 2 takes the rest, so the spill to each node is held to 5 %, the whole spill to 3 %.
        var rows = Rows(Validate("three-node-spill", everyNumastat: false, "vmstat numa_miss", "numastat node0 numa_foreign", "vmstat pgfault",
            "vmstat nr_anon_pages", "vmstat nr_free_pages"));
        AssertWithin(rows, "numastat node0 numa_hit", 0.05);
        AssertWithin(rows, "numastat node1 numa_miss", 0.05);
        AssertWithin(rows, "numastat node2 numa_miss", 0.05);
        Assert.True(rows["numastat node1 numa_miss"].Simulated > 2 * rows["numastat node2 numa_miss"].Simulated, "node 1 is the nearer: it takes the most");
    }

    [FactWhenKernel]
    public void The_page_cache_keeps_its_node_and_anonymous_memory_spills_past_it()
    {
        // The page cache and the anonymous pages within 3 %; the spill to node 1 (numa_miss) within 15 %, as in read-1200:
        // the kernel's own spill moves from boot to boot (33,793 to 45,652 on this machine, docs/validation.md).
        var rows = Rows(Validate("read-then-anon", everyNumastat: false, "vmstat nr_file_pages", "vmstat nr_inactive_file", "vmstat nr_anon_pages",
            "meminfo node0 FilePages", "numastat node0 numa_hit"));
        AssertWithin(rows, "vmstat numa_miss", 0.15);
        AssertWithin(rows, "numastat node1 numa_miss", 0.15);
    }

    [FactWhenKernel]
    public void Numa_balancing_migrates_a_moved_tasks_pages_to_its_new_node() =>
        // About 33 s: the guest's access step reads for 5 s of wall time besides the boot and the empty run.
        Validate("numa-balancing", "vmstat numa_pte_updates", "vmstat numa_hint_faults", "vmstat numa_pages_migrated", "vmstat pgmigrate_success",
            "meminfo node1 AnonPages", "numastat node1 numa_hit");

    [FactWhenKernel]
    public void Numa_balancing_migrates_huge_pages_whole()
    {
        // How many scans and faults fall in the 5 s read follows the emulated CPU's speed (100 to 128 huge entries
        // changed on the kernel's side over five boots, 128 in the simulator), so the scans' counts are not held. The
        // migrations are, to 10 %: a slow boot of a loaded host had the kernel migrate 59 of the 64 huge pages in time.
        var rows = Rows(Validate("numa-balancing-thp"));
        AssertWithin(rows, "vmstat numa_pages_migrated", 0.10);
        AssertWithin(rows, "vmstat thp_migration_success", 0.10);
        AssertWithin(rows, "meminfo node1 AnonHugePages", 0.10);
        AssertWithin(rows, "meminfo node1 AnonPages", 0.10);
    }

    [FactWhenKernel]
    public void Migrate_pages_moves_every_page_of_the_task_to_the_node_it_names() =>
        Validate("migrate", "vmstat pgmigrate_success", "meminfo node1 AnonPages", "numastat node1 numa_hit");

    [FactWhenKernel]
    public void Bind_over_capacity_allocates_nothing_outside_the_mask_and_kills_the_task()
    {
        // The kernel OOM-kills the task, which frees what it held (pgfree); the simulator does as the kernel.
        var report = Validate("bind-over-capacity", "numastat node0 numa_hit", "vmstat pgalloc_dma32", "vmstat oom_kill", "vmstat pgfree");

        var counters = Rows(report);
        Assert.True(!counters.TryGetValue("numastat node1 numa_miss", out var miss) || (miss.Real == 0 && miss.Simulated == 0), "numa_miss on node 1");
        Assert.Equal((1L, 1L), (counters["vmstat oom_kill"].Real, counters["vmstat oom_kill"].Simulated));
    }

    [FactWhenKernel]
    public void A_read_of_more_than_the_machine_holds_wakes_both_kswapds()
    {
        // Which node serves each read while kswapd races the reader varies from boot to boot on the kernel by more
        // than 3 % (numastat node 0 numa_hit from 149,562 to 177,489 over six boots, the lowest on a loaded host;
        // docs/validation.md), and so does the simulator's on each boot's snapshot: allocations within 15 %, pages
        // reclaimed within 25 % (the issue's bound), the cache within 3 % and, per node, within 5 %.
        var counters = Rows(Validate("read-1200", everyNumastat: false));
        AssertWithin(counters, "numastat node0 numa_hit", 0.15);
        AssertWithin(counters, "numastat node1 numa_miss", 0.15);
        AssertWithin(counters, "vmstat pgsteal_kswapd", 0.25);
        AssertWithin(counters, "vmstat nr_file_pages", 0.03);
        AssertWithin(counters, "meminfo node0 FilePages", 0.05);
        AssertWithin(counters, "meminfo node1 FilePages", 0.05);
        // The file's xarray nodes (radix_tree_node, reclaimable slab): 698 pages on both sides on one boot.
        AssertWithin(counters, "vmstat nr_slab_reclaimable", 0.10);
        Assert.Equal(0L, counters.TryGetValue("vmstat allocstall_dma32", out var stall) ? stall.Simulated : 0);
    }

    [FactWhenKernel]
    public void The_oom_killer_kills_the_bigger_task_on_the_other_cpu_and_the_allocating_one_completes()
    {
        // The kernel kills the task holding 256 MiB (its CPU 1 is not the allocating CPU) and the bound task touching
        // 320 MiB gets all of it on node 0; the simulator chooses the same victim (docs/validation.md, oom-victim).
        var report = Validate("oom-victim", "numastat node0 numa_hit", "vmstat oom_kill", "vmstat nr_anon_pages", "vmstat pgfree");

        var counters = Rows(report);
        Assert.Equal((1L, 1L), (counters["vmstat oom_kill"].Real, counters["vmstat oom_kill"].Simulated));
        Assert.InRange(counters["vmstat nr_anon_pages"].Simulated, 320 * 256, 320 * 256 + 64);
    }

    [FactWhenKernel]
    public void Touching_more_than_the_bound_node_holds_swaps_the_oldest_anonymous_pages_out()
    {
        // Swap's counters agree within 25 % (the issue's bound for pages reclaimed), the task's placement within 3 %.
        // Not every numastat row: while it swaps, the kernel's own allocations (not the task's, which bind:0 keeps on
        // node 0) fall back to node 1 (numa_miss about 4,300), which the simulator does not model (docs/validation.md).
        var rows = Rows(Validate("swap", everyNumastat: false, "numastat node0 numa_hit", "numastat node0 local_node", "vmstat pgfault"));
        foreach (var counter in new[] { "vmstat pswpout", "vmstat pgscan_anon" })
        {
            Assert.True(rows.TryGetValue(counter, out var row), $"swap: {counter} did not move");
            Assert.True(row.Real > 0 && Math.Abs(row.Simulated - row.Real) <= 0.25 * row.Real, $"swap: {counter}: kernel {row.Real}, simulator {row.Simulated}");
        }
        Assert.True(!rows.TryGetValue("vmstat oom_kill", out var oom) || (oom.Real == 0 && oom.Simulated == 0), "oom_kill");
    }

    [FactWhenKernel]
    public void Huge_pages_reclaim_takes_are_split_and_their_pages_swapped()
    {
        // On a quiet host the simulator, on each boot's machine, split 167 to 182 huge folios for swap against the
        // kernel's 162 to 182 and wrote and reclaimed within 2.5 % of it. Under a loaded host the kernel's direct
        // compaction finds more huge blocks and its figures move (192 splits, 14.8 % fewer anonymous pages left, in a
        // clean-clone CI run): the splits, the pages written and the pages reclaimed are held to 25 %, the bound of the
        // swap case, with no OOM kill on either side (docs/validation.md).
        var rows = Rows(Validate("swap-thp", everyNumastat: false));
        AssertWithin(rows, "vmstat thp_swpout_fallback", 0.25);
        AssertWithin(rows, "vmstat thp_split_pmd", 0.25);
        AssertWithin(rows, "vmstat pswpout", 0.25);
        AssertWithin(rows, "vmstat pgsteal_anon", 0.25);
        Assert.True(!rows.TryGetValue("vmstat oom_kill", out var oom) || (oom.Real == 0 && oom.Simulated == 0), "oom_kill");
    }

    [FactWhenKernel]
    public void Memory_tiering_promotes_the_pages_a_node_0_task_reads_from_the_memory_only_node()
    {
        // About 40 s: the guest reads for 10 s. Pages promoted within 10 % (the issue's bound), placement within 3 %.
        var counters = Rows(Validate("promotion", "vmstat numa_pte_updates", "vmstat numa_hint_faults", "meminfo node0 AnonPages", "numastat node2 numa_hit"));
        AssertWithin(counters, "vmstat pgpromote_success", 0.10);
        AssertWithin(counters, "vmstat pgpromote_candidate", 0.10);
        AssertWithin(counters, "vmstat numa_pages_migrated", 0.10);
        Assert.InRange(counters["vmstat pgpromote_success"].Real, 62_000, 66_000);
    }

    [FactWhenKernel]
    public void Mbind_with_move_takes_the_pages_off_the_policy_nodes()
    {
        // Pages migrated within 10 %, placement within 3 % (numastat per node and node 1's AnonPages).
        var rows = Rows(Validate("mbind-move", "meminfo node1 AnonPages", "numastat node1 numa_hit"));
        AssertWithin(rows, "vmstat pgmigrate_success", 0.10);
        Assert.False(rows.ContainsKey("vmstat numa_pages_migrated"), "numa_pages_migrated moved");
    }

    [FactWhenKernel]
    public void Move_pages_sends_the_ith_page_to_the_ith_node()
    {
        var rows = Rows(Validate("move-pages", "meminfo node0 AnonPages", "meminfo node1 AnonPages", "numastat node1 numa_hit"));
        AssertWithin(rows, "vmstat pgmigrate_success", 0.10);
        Assert.False(rows.ContainsKey("vmstat numa_pages_migrated"), "numa_pages_migrated moved");
    }

    [FactWhenKernel]
    public void Move_pages_sends_a_huge_page_back_and_forth_once_per_change_of_node() =>
        // 20 to 40 s: the kernel copies 1,022 huge pages under TCG.
        Validate("move-pages-thp", "vmstat pgmigrate_success", "meminfo node1 AnonHugePages", "numastat node1 numa_hit");

    [FactWhenKernel]
    public void Reclaim_demotes_to_the_memory_only_node_what_the_bound_node_cannot_hold()
    {
        // Pages demoted within 10 % (the issue's bound), where they end up within 3 %. Not kswapd's and direct
        // reclaim's shares: under TCG the kernel's kswapd falls further behind than the simulator's (docs/validation.md).
        // Node 2's numa_hit is the pages demoted (node 0's AnonPages what is left), held to 10 % with them: the kernel's
        // own count moves from boot to boot (78,206 to 90,127 on this machine), and the simulator's with each boot's snapshot.
        // Node 0's MemUsed (what reclaim left free there) moves with it: 3.0 and 3.5 % apart on two boots of a loaded
        // host, the simulator's own run unchanged: held to 5 %.
        var rows = Rows(Validate("demotion", everyNumastat: false, "numastat node0 numa_hit", "vmstat nr_anon_pages"));
        AssertWithin(rows, "meminfo node0 MemUsed", 0.05);
        AssertWithin(rows, "numastat node2 numa_hit", 0.10);
        AssertWithin(rows, "vmstat pgmigrate_success", 0.10);
        AssertDemotedWithin(rows, 0.10);
        Assert.True(rows["vmstat pgdemote_kswapd"].Simulated > 0 && rows["vmstat pgdemote_direct"].Simulated > 0, "both kswapd and direct reclaim demote");
        Assert.True(!rows.TryGetValue("vmstat oom_kill", out var oom) || (oom.Real == 0 && oom.Simulated == 0), "oom_kill");
    }

    [FactWhenKernel]
    public void Without_demotion_the_same_task_is_oom_killed()
    {
        var rows = Rows(Validate("demotion-off", "numastat node0 numa_hit", "vmstat oom_kill"));

        Assert.Equal((1L, 1L), (rows["vmstat oom_kill"].Real, rows["vmstat oom_kill"].Simulated));
        Assert.True(!rows.TryGetValue("vmstat pgmigrate_success", out var moved) || (moved.Real == 0 && moved.Simulated == 0), "nothing migrated");
    }

    [FactWhenKernel]
    public void Reading_past_the_node_demotes_the_oldest_page_cache_as_the_kernel_does()
    {
        // As in the demotion case, what goes to node 2 (its numa_hit, the pages demoted) moves from boot to boot with how
        // far the kernel's kswapd falls behind under TCG (79,103 to 80,640 demoted in three boots here; the simulator on
        // each boot's snapshot +5.5 % and +9.9 %): the pages demoted are held to 15 %, where they go to 10 %.
        var rows = Rows(Validate("demotion-file", everyNumastat: false, "numastat node0 numa_hit", "vmstat numa_hit"));
        AssertWithin(rows, "numastat node2 numa_hit", 0.10);
        AssertWithin(rows, "meminfo node0 FilePages", 0.10);
        AssertWithin(rows, "meminfo node2 FilePages", 0.10);
        var simulated = AssertDemotedWithin(rows, 0.15);
        Assert.Equal(simulated, rows["vmstat pgsteal_file"].Simulated);
    }

    /// <summary>pgdemote_kswapd + pgdemote_direct within the tolerance of the kernel's; returns the simulator's.</summary>
    private static long AssertDemotedWithin(Dictionary<string, (long Real, long Simulated, string Verdict)> rows, double tolerance)
    {
        var real = rows["vmstat pgdemote_kswapd"].Real + rows["vmstat pgdemote_direct"].Real;
        var simulated = rows["vmstat pgdemote_kswapd"].Simulated + rows["vmstat pgdemote_direct"].Simulated;
        Assert.True(Math.Abs(simulated - real) <= tolerance * real, $"pgdemote: kernel {real}, simulator {simulated}");
        return simulated;
    }

    private static void AssertWithin(Dictionary<string, (long Real, long Simulated, string Verdict)> counters, string counter, double tolerance)
    {
        Assert.True(counters.TryGetValue(counter, out var row), $"{counter} did not move");
        Assert.NotEqual(0, row.Real);
        var difference = Math.Abs(row.Simulated - row.Real) / (double)Math.Abs(row.Real);
        Assert.True(difference <= tolerance, $"{counter}: kernel {row.Real}, simulator {row.Simulated} ({difference:P1} apart, more than {tolerance:P0})");
    }

    private JsonDocument Validate(string scenario, params string[] mustAgree) => Validate(scenario, everyNumastat: true, mustAgree);

    private JsonDocument Validate(string scenario, bool everyNumastat, params string[] mustAgree)
    {
        using var dir = new TempDirectory();
        var result = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(5), "validate", Path.Combine(CliRunner.RepoRoot, "config", "fidelity", scenario + ".conf"),
            "--kernel", FactWhenKernelAttribute.Kernel!, "--out", dir["out"]);
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode is 0 or 4, result.ToString()); // 4: some counter disagrees; asserted below where it matters
        var report = JsonDocument.Parse(File.ReadAllText(dir["out/validate.json"]));
        output.WriteLine($"validated against {report.RootElement.GetProperty("kernel").GetString()} (the table in docs/validation.md: {FactWhenKernelAttribute.ValidatedKernel})");
        Assert.Equal(0.03, report.RootElement.GetProperty("tolerance").GetDouble());
        var rows = Rows(report);
        foreach (var (counter, row) in rows.Where(r => everyNumastat && r.Key.StartsWith("numastat ", StringComparison.Ordinal)))
        {
            Assert.True(row.Verdict == "agrees", $"{scenario}: {counter}: kernel {row.Real}, simulator {row.Simulated}");
        }
        foreach (var counter in mustAgree)
        {
            Assert.True(rows.TryGetValue(counter, out var row), $"{scenario}: {counter} did not move");
            Assert.True(row.Verdict == "agrees", $"{scenario}: {counter}: kernel {row.Real}, simulator {row.Simulated}");
            Assert.NotEqual(0, row.Real);
        }
        return report;
    }

    private static Dictionary<string, (long Real, long Simulated, string Verdict)> Rows(JsonDocument report) =>
        report.RootElement.GetProperty("counters").EnumerateArray().ToDictionary(
            r => r.GetProperty("counter").GetString()!,
            r => (r.GetProperty("real").GetInt64(), r.GetProperty("simulated").GetInt64(), r.GetProperty("verdict").GetString()!));
}
