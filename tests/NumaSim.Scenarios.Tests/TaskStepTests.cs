namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Tasks written as steps, as a real process does them with system calls: set_mempolicy, mmap and touch,
/// sched_setaffinity, reading its memory again. Config: numasim.workload.tasks[].steps; outputs: numastat per node,
/// vmstat, summary.json mmu and errors.
/// </summary>
public sealed class TaskStepTests : NumaSimTestKit
{
    /// <summary>Two nodes of 64 MiB, two CPUs each: small enough to run out of.</summary>
    private static NumaScenario SmallTwoNodes() => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M }
          { id = 1, cpus = "2-3", memory = 64M }
        ]
        distance = [[10, 21], [21, 10]]
        """).WithSeed(3);

    [Fact]
    public async Task A_task_bound_to_node_0_that_touches_more_than_node_0_holds_allocates_nothing_elsewhere_and_is_oom_killed()
    {
        var run = await RunAsync(SmallTwoNodes().WithStepTask("0", """{ policy = "bind:0" }""", "{ touch = 96M }"));

        // MPOL_BIND: neither the pages nor their page tables go to node 1, however full node 0 is; with nothing to
        // reclaim the OOM killer kills the task, and everything it held goes back.
        Assert.Equal(0, run.Numastat(1).Hit + run.Numastat(1).Miss);
        Assert.Equal(0, run.Numastat(0).Foreign);
        Assert.True(run.Numastat(0).Hit > 14_000, $"node 0 gave {run.Numastat(0).Hit} pages");
        Assert.Equal(1, run.Vmstat("oom_kill"));
        var kill = Assert.Single(run.KernelReports, e => e.Kind == "oom");
        // The only task is the only candidate: the OOM killer prints dump_oom_victim's line and __oom_kill_process's.
        Assert.Matches(@"^oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,cpuset=/,mems_allowed=0-1,global_oom,task_memcg=/,task=task0,pid=1,uid=0\nOut of memory: Killed process 1 \(task0\) total-vm:98304kB, anon-rss:\d+kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0$", kill.Message);
        Assert.Equal(0, run.Vmstat("nr_anon_pages"));
        Assert.Equal(0, run.Vmstat("nr_page_table_pages"));
        Assert.Equal(run.Vmstat("pgfree"), run.Numastat(0).Hit);
    }

    [Fact]
    public async Task Set_mempolicy_bind_to_the_other_node_puts_the_pages_and_their_page_tables_there()
    {
        var run = await RunAsync(SmallTwoNodes().WithStepTask("0", """{ policy = "bind:1" }""", "{ touch = 4M }"));

        // 1,024 pages and their tables (a PUD, a PMD and 2 PTE pages) all on node 1, as the kernel's alloc_pages
        // uses the task's policy for page tables; only the task's PGD came before the policy, from node 0.
        Assert.Equal(1024 + 4, run.Numastat(1).Hit);
        Assert.Equal(1024 + 4, run.Numastat(1).Other);
        Assert.Equal(1, run.Numastat(0).Hit);
        Assert.Equal(1024, run.Vmstat("pgfault"));
    }

    [Fact]
    public async Task Touch_with_thp_maps_huge_pages_and_policies_apply_to_later_mappings_only()
    {
        var run = await RunAsync(SmallTwoNodes().WithStepTask("0",
            "{ touch = 8M, thp = on }", """{ policy = "interleave:0-1" }""", "{ touch = 1M }"));

        Assert.Equal(4, run.Vmstat("thp_fault_alloc"));
        // PGD, PUD, PMD, the 1 MiB mapping's PTE table, and a PTE table deposited with each huge page (as
        // __do_huge_pmd_anonymous_page does, for a later split).
        Assert.Equal(4 + 4, run.Vmstat("nr_page_table_pages"));
        // 256 interleaved pages, half on each node, counted where interleave meant them to go, and the new
        // mapping's page-table page, which the task's interleave sends to its next node (node 0).
        Assert.Equal(128, run.Numastat(1).InterleaveHit);
        Assert.Equal(128 + 1, run.Numastat(0).InterleaveHit);
        // 8 MiB in 4 huge pages + 256 base pages write-faulted: 4 + 256 faults.
        Assert.Equal(4 + 256, run.Mmu.Faults);
    }

    [Fact]
    public async Task A_task_that_moves_to_another_node_reads_its_memory_there_for_the_simulated_time_given()
    {
        var run = await RunAsync(SmallTwoNodes().WithStepTask("0", "{ touch = 1M }", "{ move-to = 2 }", "{ access = 200us, think-time = 1us }"));

        Assert.Equal(1, run.Mmu.Migrations);
        // CPU 2's TLB knows none of the task's pages: every read walks the tables and reads node 0's memory from
        // node 1 (5 remote accesses at 90 x 21/10, and the lookup).
        Assert.Equal(945 + 1, run.Latency("walk").P50);
        // The reads stop when the 200 us are up: one per think time (1 us) and walk, about 102 of them.
        Assert.InRange(run.Latency("walk").Count, 95, 110);
    }
}
