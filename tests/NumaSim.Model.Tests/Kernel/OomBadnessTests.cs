using NumaSim.Model.Kernel;
using Xunit;

namespace NumaSim.Model.Tests.Kernel;

public sealed class OomBadnessTests
{
    private static readonly (int, long)[] TwoNodes = [(0, 131_072), (1, 131_072)];

    [Fact]
    public void A_bind_to_a_subset_of_the_nodes_is_a_memory_policy_constraint_counting_only_those_nodes()
    {
        var (constraint, total) = OomBadness.Constrain([0], TwoNodes, 262_000, 0, thisNode: false);

        Assert.Equal(OomConstraint.MemoryPolicy, constraint);
        Assert.Equal(131_072, total);
        Assert.Equal(OomConstraint.None, OomBadness.Constrain(null, TwoNodes, 262_000, 0, false).Constraint);
        Assert.Equal(OomConstraint.None, OomBadness.Constrain([0, 1], TwoNodes, 262_000, 0, false).Constraint);
    }

    [Fact]
    public void The_task_with_the_most_resident_memory_and_page_tables_is_chosen_and_score_adj_shifts_it()
    {
        var big = new OomTask(10, "big", 100_000, 0, 0, 0, 200 << 12, 120_000);
        var small = new OomTask(11, "small", 90_000, 5_000, 0, 0, 100 << 12, 100_000);

        Assert.Equal(100_200, OomBadness.Badness(big, 262_144));
        Assert.Same(big, OomBadness.Select([big, small], OomConstraint.None, null, 262_144));
        // oom_score_adj 100: 100 * (262,144 / 1000) = 26,200 more points.
        var favoured = small with { OomScoreAdj = 100 };
        Assert.Same(favoured, OomBadness.Select([big, favoured], OomConstraint.None, null, 262_144));
        Assert.Null(OomBadness.Badness(big with { OomScoreAdj = -1000 }, 262_144));
    }

    [Fact]
    public void Under_a_policy_constraint_a_task_bound_elsewhere_is_spared_and_a_dying_victim_makes_the_killer_wait()
    {
        var boundElsewhere = new OomTask(10, "other", 200_000, 0, 0, 0, 0, 0) { BindNodes = [1] };
        var culprit = new OomTask(11, "culprit", 100_000, 0, 0, 0, 0, 0) { BindNodes = [0] };

        Assert.Same(culprit, OomBadness.Select([boundElsewhere, culprit], OomConstraint.MemoryPolicy, [0], 131_072));
        Assert.Null(OomBadness.Select([culprit with { Dying = true }, boundElsewhere], OomConstraint.MemoryPolicy, [0], 131_072));
        Assert.Null(OomBadness.Select([new OomTask(1, "init", 5, 0, 0, 0, 0, 0) { Unkillable = true }], OomConstraint.None, null, 100));
    }

    [Fact]
    public void The_report_lines_are_the_kernels()
    {
        var victim = new OomTask(123, "numasim-guest", 116_000, 3, 0, 0, 245_760, 117_000);

        Assert.Equal(
            "Out of memory: Killed process 123 (numasim-guest) total-vm:468000kB, anon-rss:464000kB, file-rss:12kB, shmem-rss:0kB, UID:0 pgtables:240kB oom_score_adj:0",
            OomBadness.KilledLine(victim, 12));
        Assert.Equal(
            "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,cpuset=/,mems_allowed=0-1,global_oom,task_memcg=/,task=numasim-guest,pid=123,uid=0",
            OomBadness.ConstraintLine(OomConstraint.MemoryPolicy, [0], [0, 1], victim));
    }

    [Fact]
    public void Out_of_memory_under_a_bind_kills_a_bigger_task_on_another_cpu_rather_than_the_small_allocating_one()
    {
        // The fidelity experiment (config/fidelity/oom-victim.conf): a task holding 256 MiB on node 0 (65,536 pages and
        // 131 page-table pages) and the allocating task, bound to node 0, at 40,000 pages and 80 tables. Both policies
        // intersect node 0: points 65,536 + 131 against 40,000 + 80, so the holder goes.
        var holder = new OomTask(1, "task0", 65_536, 0, 0, 0, 131L << 12, 65_536) { BindNodes = [0] };
        var allocating = new OomTask(2, "task1", 40_000, 0, 0, 0, 80L << 12, 81_936) { BindNodes = [0] };

        var choice = OomBadness.Choose([allocating, holder], [0], TwoNodes, 0, 12);

        Assert.Same(holder, choice.Victim);
        Assert.Equal(OomConstraint.MemoryPolicy, choice.Constraint);
        Assert.Equal(
            "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0,cpuset=/,mems_allowed=0-1,global_oom,task_memcg=/,task=task0,pid=1,uid=0\n"
            + "Out of memory: Killed process 1 (task0) total-vm:262144kB, anon-rss:262144kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:524kB oom_score_adj:0",
            choice.Report);
    }

    [Fact]
    public void Out_of_memory_under_a_bind_spares_a_bigger_task_bound_to_other_nodes_but_not_one_without_a_bind()
    {
        // Node 0's allocation fails under bind:0. A task bound to node 1 with 60,000 pages cannot help (its pages
        // are not on node 0): skipped. A task with no policy and 50,000 pages could: it goes, not the allocating
        // task with 30,000.
        var boundElsewhere = new OomTask(1, "task0", 60_000, 0, 0, 0, 0, 60_000) { BindNodes = [1] };
        var unbound = new OomTask(2, "task1", 50_000, 0, 0, 0, 0, 50_000);
        var allocating = new OomTask(3, "task2", 30_000, 0, 0, 0, 0, 30_000) { BindNodes = [0] };

        Assert.Same(unbound, OomBadness.Choose([boundElsewhere, unbound, allocating], [0], TwoNodes, 0, 12).Victim);
        Assert.Same(allocating, OomBadness.Choose([boundElsewhere, allocating], [0], TwoNodes, 0, 12).Victim);
        // Without a constraint (no bind, or a bind to every node) every task is a candidate: the biggest goes.
        Assert.Same(boundElsewhere, OomBadness.Choose([boundElsewhere, unbound, allocating], null, TwoNodes, 0, 12).Victim);
        var global = OomBadness.Choose([boundElsewhere, allocating], [0, 1], TwoNodes, 0, 12);
        Assert.Same(boundElsewhere, global.Victim);
        Assert.StartsWith("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),", global.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_that_tie_go_in_pid_order_and_the_later_one_is_chosen()
    {
        var first = new OomTask(4, "task3", 1_000, 0, 0, 0, 0, 1_000);
        var second = new OomTask(7, "task6", 1_000, 0, 0, 0, 0, 1_000);

        Assert.Same(second, OomBadness.Choose([second, first], null, TwoNodes, 0, 12).Victim);
        Assert.Null(OomBadness.Choose([], null, TwoNodes, 0, 12).Victim);
    }
}
