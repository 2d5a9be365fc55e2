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
}
