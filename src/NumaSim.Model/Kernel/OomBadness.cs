namespace NumaSim.Model.Kernel;

/// <summary>oc->constraint: what limited the allocation that failed (mm/oom_kill.c).</summary>
public enum OomConstraint
{
    None,
    Cpuset,
    MemoryPolicy,
    Memcg,
}

/// <summary>What the OOM killer knows of one task: its memory (in pages) and its policy's nodes.</summary>
public sealed record OomTask(int Pid, string Comm, long AnonRss, long FileRss, long ShmemRss, long SwapEnts, long PgtablesBytes, long TotalVm)
{
    /// <summary>oom_score_adj, -1000 (never kill) to 1000.</summary>
    public int OomScoreAdj { get; init; }

    /// <summary>The nodes of the task's MPOL_BIND policy; null for any other policy.</summary>
    public IReadOnlyList<int>? BindNodes { get; init; }

    /// <summary>Kernel threads and init are never chosen.</summary>
    public bool Unkillable { get; init; }

    /// <summary>Already chosen and not gone yet (TIF_MEMDIE without MMF_OOM_SKIP): the killer waits for it.</summary>
    public bool Dying { get; init; }
}

/// <summary>
/// The OOM killer's choice (mm/oom_kill.c): constrained_alloc decides what memory counts, select_bad_process
/// scores every eligible task with oom_badness (resident pages, swap entries and page tables, shifted by
/// oom_score_adj per mille of that memory) and takes the highest, the later task on a tie.
/// </summary>
public static class OomBadness
{
    /// <summary>OOM_SCORE_ADJ_MIN: a task with this adjustment is never killed.</summary>
    public const int ScoreAdjMin = -1000;

    /// <summary>
    /// constrained_alloc: an allocation whose nodemask (MPOL_BIND) leaves out some node with memory is
    /// constrained by the policy, and only its nodes' pages count.
    /// </summary>
    public static (OomConstraint Constraint, long TotalPages) Constrain(
        IReadOnlyList<int>? nodemask, IReadOnlyList<(int Node, long PresentPages)> memoryNodes, long totalRamPages, long totalSwapPages, bool thisNode)
    {
        if (thisNode || nodemask is null || memoryNodes.All(n => nodemask.Contains(n.Node)))
        {
            return (OomConstraint.None, totalRamPages + totalSwapPages);
        }
        return (OomConstraint.MemoryPolicy, totalSwapPages + memoryNodes.Where(n => nodemask.Contains(n.Node)).Sum(n => n.PresentPages));
    }

    /// <summary>oom_badness; null where the kernel returns LONG_MIN (never a victim).</summary>
    public static long? Badness(OomTask task, long totalPages)
    {
        if (task.Unkillable || task.OomScoreAdj == ScoreAdjMin)
        {
            return null;
        }
        var points = task.AnonRss + task.FileRss + task.ShmemRss + task.SwapEnts + task.PgtablesBytes / 4096;
        return points + task.OomScoreAdj * (totalPages / 1000);
    }

    /// <summary>
    /// select_bad_process: the eligible task with the most points (under a memory-policy constraint, only tasks
    /// whose own policy could have helped: MPOL_BIND to an intersecting node, or no bind at all). Returns null when
    /// nobody can be killed, or when a chosen victim is still dying (the kernel then kills nobody and waits).
    /// </summary>
    public static OomTask? Select(IEnumerable<OomTask> tasks, OomConstraint constraint, IReadOnlyList<int>? nodemask, long totalPages)
    {
        OomTask? chosen = null;
        var chosenPoints = long.MinValue;
        foreach (var task in tasks)
        {
            if (task.Unkillable)
            {
                continue;
            }
            if (constraint == OomConstraint.MemoryPolicy && nodemask is not null && task.BindNodes is { } bind && !bind.Any(nodemask.Contains))
            {
                continue;
            }
            if (task.Dying)
            {
                return null;
            }
            if (Badness(task, totalPages) is not { } points || points < chosenPoints)
            {
                continue;
            }
            chosen = task;
            chosenPoints = points;
        }
        return chosen;
    }

    /// <summary>
    /// out_of_memory's choice for an allocation under <paramref name="nodemask"/> (MPOL_BIND's nodes, or null):
    /// constrained_alloc, then select_bad_process over <paramref name="tasks"/> in pid order. The report is what the
    /// kernel prints of the victim (dump_oom_victim's line, then __oom_kill_process's), one line each.
    /// </summary>
    public static OomChoice Choose(IEnumerable<OomTask> tasks, IReadOnlyList<int>? nodemask, IReadOnlyList<(int Node, long PresentPages)> memoryNodes,
        long totalSwapPages, int pageShift)
    {
        ArgumentNullException.ThrowIfNull(memoryNodes);
        var (constraint, total) = Constrain(nodemask, memoryNodes, memoryNodes.Sum(n => n.PresentPages), totalSwapPages, thisNode: false);
        // Without the memory-policy constraint, oc->nodemask is cleared before the tasks are looked at.
        var mask = constraint == OomConstraint.MemoryPolicy ? nodemask : null;
        var victim = Select(tasks.OrderBy(t => t.Pid), constraint, mask, total);
        return victim is null
            ? new OomChoice(null, constraint, null)
            : new OomChoice(victim, constraint, ConstraintLine(constraint, mask, [.. memoryNodes.Select(n => n.Node)], victim) + "\n" + KilledLine(victim, pageShift));
    }

    /// <summary>dump_oom_victim's summary line.</summary>
    public static string ConstraintLine(OomConstraint constraint, IReadOnlyList<int>? nodemask, IReadOnlyList<int> memsAllowed, OomTask victim) =>
        FormattableString.Invariant(
            $"oom-kill:constraint=CONSTRAINT_{ConstraintName(constraint)},nodemask={(nodemask is null ? "(null)" : NodeList(nodemask))},cpuset=/,mems_allowed={NodeList(memsAllowed)},global_oom,task_memcg=/,task={victim.Comm},pid={victim.Pid},uid=0");

    /// <summary>__oom_kill_process's line (sizes in kB).</summary>
    public static string KilledLine(OomTask victim, int pageShift) =>
        FormattableString.Invariant(
            $"Out of memory: Killed process {victim.Pid} ({victim.Comm}) total-vm:{victim.TotalVm << (pageShift - 10)}kB, anon-rss:{victim.AnonRss << (pageShift - 10)}kB, file-rss:{victim.FileRss << (pageShift - 10)}kB, shmem-rss:{victim.ShmemRss << (pageShift - 10)}kB, UID:0 pgtables:{victim.PgtablesBytes >> 10}kB oom_score_adj:{victim.OomScoreAdj}");

    private static string ConstraintName(OomConstraint constraint) => constraint switch
    {
        OomConstraint.Cpuset => "CPUSET",
        OomConstraint.MemoryPolicy => "MEMORY_POLICY",
        OomConstraint.Memcg => "MEMCG",
        _ => "NONE",
    };

    // %*pbl: ranges of consecutive nodes, "0-1,3".
    private static string NodeList(IReadOnlyList<int> nodes)
    {
        var sorted = nodes.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count; i++)
        {
            var start = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }
            parts.Add(start == sorted[i] ? FormattableString.Invariant($"{start}") : FormattableString.Invariant($"{start}-{sorted[i]}"));
        }
        return string.Join(',', parts);
    }
}

/// <summary>What out_of_memory chose: the victim (null: nobody, or a victim still dying), the constraint and the kernel's lines.</summary>
public sealed record OomChoice(OomTask? Victim, OomConstraint Constraint, string? Report);
