using NumaSim.Model.Topology;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// The OOM killer and drain_all_pages as the actors run them: the victim is chosen by oom_badness among every CPU's
/// tasks (under MPOL_BIND only tasks whose policy intersects the allocation's nodes), killed by its own CPU, its
/// memory freed; an allocation whose direct reclaim made progress and still found nothing has every CPU drain its
/// per-CPU lists. Config: numasim.workload.tasks[].steps; outputs: vmstat's oom_kill, summary.json errors, meminfo,
/// zoneinfo's per-CPU counts.
/// </summary>
public sealed class OomKillerTests : NumaSimTestKit
{
    private const long MiB = 256; // pages

    /// <summary>Two nodes of 64 MiB, two CPUs each.</summary>
    private static NumaScenario SmallTwoNodes() => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 64M }
          { id = 1, cpus = "2-3", memory = 64M }
        ]
        distance = [[10, 21], [21, 10]]
        """).WithSeed(3);

    // A task that starts its real work once the others hold theirs: a 64 KiB region read again for 50 ms.
    private static readonly string[] Later = ["{ touch = 64K }", "{ access = 50ms, think-time = 1ms }"];

    [Theory]
    [InlineData("2")] // the victim on another node's CPU
    [InlineData("1")] // on another CPU of the node
    [InlineData("0")] // on the allocating task's own CPU, which waits in the allocator meanwhile
    public async Task The_bigger_task_is_killed_instead_of_the_smaller_allocating_one_which_then_completes(string victimCpu)
    {
        var run = await RunAsync(SmallTwoNodes()
            .WithStepTask(victimCpu, """{ policy = "bind:0" }""", "{ touch = 40M }")
            .WithStepTask("0", ["""{ policy = "bind:0" }""", .. Later, "{ touch = 32M }"]));

        // Node 0 holds about 62 MiB: the second task's fault runs out with about 22 MiB touched. Both tasks are bound
        // to node 0, so both may free it (CONSTRAINT_MEMORY_POLICY); task0 has 40 MiB and its page tables, the
        // allocating task1 less: task0 goes, and task1 gets all its 32 MiB.
        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(1, run.Vmstat("oom_kill"));
        var kill = Assert.Single(run.KernelReports, e => e.Kind == "oom");
        Assert.Equal(int.Parse(victimCpu, System.Globalization.CultureInfo.InvariantCulture), kill.Cpu);
        var lines = kill.Message.Split('\n');
        Assert.Equal("oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,cpuset=/,mems_allowed=0-1,global_oom,task_memcg=/,task=task0,pid=1,uid=0", lines[0]);
        Assert.Matches(@"^Out of memory: Killed process 1 \(task0\) total-vm:\d+kB, anon-rss:40960kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0$", lines[1]);
        Assert.Equal(32 * MiB + 16, run.Vmstat("nr_anon_pages"));
        Assert.True(run.Vmstat("pgfree") >= 40 * MiB, $"pgfree {run.Vmstat("pgfree")}: the victim's 40 MiB came back");
        // Nothing went past the bind (only a task's page directory, allocated before its policy, is on its CPU's node).
        Assert.Equal(0, run.Numastat(1).Miss + run.Numastat(0).Foreign);
    }

    [Fact]
    public async Task Under_mpol_bind_a_bigger_task_bound_to_another_node_is_not_a_candidate_and_the_allocating_task_dies()
    {
        var run = await RunAsync(SmallTwoNodes()
            .WithStepTask("2", """{ policy = "bind:1" }""", "{ touch = 48M }")
            .WithStepTask("0", ["""{ policy = "bind:0" }""", .. Later, "{ touch = 96M }"]));

        // mempolicy_in_oom_domain: task0's MPOL_BIND to node 1 does not intersect the failing allocation's node 0, so
        // only task1 is eligible, though it holds less. task0 keeps its 48 MiB.
        Assert.Equal(1, run.Vmstat("oom_kill"));
        var kill = Assert.Single(run.KernelReports, e => e.Kind == "oom");
        Assert.Contains("task=task1,pid=2,uid=0", kill.Message, StringComparison.Ordinal);
        Assert.Contains("Out of memory: Killed process 2 (task1)", kill.Message, StringComparison.Ordinal);
        Assert.Equal(0, kill.Cpu);
        Assert.Equal(48 * MiB, run.Vmstat("nr_anon_pages"));
    }

    [Fact]
    public async Task Two_small_tasks_faulting_past_the_node_side_by_side_cost_one_kill_and_both_complete()
    {
        // Two small tasks on node 0's CPUs fault side by side past node 0 while a big one on node 1's CPU holds
        // 40 MiB there: one kill frees enough for both (a second allocation out of memory while the first victim
        // dies waits for it under oom_lock and retries instead of killing again).
        var run = await RunAsync(SmallTwoNodes()
            .WithStepTask("2", """{ policy = "bind:0" }""", "{ touch = 40M }")
            .WithStepTask("0", ["""{ policy = "bind:0" }""", .. Later, "{ touch = 12M }"])
            .WithStepTask("1", ["""{ policy = "bind:0" }""", .. Later, "{ touch = 12M }"]));

        Assert.True(run.Complete, run.IncompleteReason);
        Assert.Equal(1, run.Vmstat("oom_kill"));
        Assert.Contains("Killed process 1 (task0)", Assert.Single(run.KernelReports, e => e.Kind == "oom").Message, StringComparison.Ordinal);
        Assert.Equal(2 * (12 * MiB + 16), run.Vmstat("nr_anon_pages"));
    }

    [Fact]
    public async Task A_direct_reclaim_that_made_progress_but_found_no_page_drains_the_other_cpus_lists()
    {
        // CPU 1 touches 1 MiB first: what its last refill brought stays on its per-CPU list of node 0. Then a task on
        // CPU 0 bound to node 0 reads 48 MiB and touches 64 MiB with huge pages: direct reclaim frees file pages, too
        // few for an order-9 page, and drain_all_pages empties every CPU's lists, CPU 1's among them.
        NumaScenario Machine(string touch) => SmallTwoNodes()
            .WithStepTask("1", "{ touch = 1M }")
            .WithStepTask("0", ["""{ policy = "bind:0" }""", .. Later, """{ read-file = 48M, file = "f" }""", touch]);

        var quiet = await RunAsync(Machine("{ touch = 4M, thp = on }"));
        Assert.Equal(0, quiet.Vmstat("pgsteal_direct"));
        Assert.True(PcpPages(quiet, node: 0, cpu: 1) > 0, "CPU 1 keeps pages on its lists when nobody drains them");

        var pressed = await RunAsync(Machine("{ touch = 64M, thp = on }"));
        Assert.True(pressed.Vmstat("pgsteal_direct") > 0, "direct reclaim made progress");
        Assert.Equal(0, PcpPages(pressed, node: 0, cpu: 1));
    }

    private static long PcpPages(SimulationState run, int node, int cpu) =>
        run.Machine.Nodes[node].Zones.Sum(z => z.Pagesets.Where(p => p.Cpu == cpu).Sum(p => (long)p.Count));
}
