using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Kernel;

/// <summary>
/// What select_bad_process reads of a task (mm/oom_kill.c): its resident pages (get_mm_rss), its page tables
/// (mm_pgtables_bytes) and, for the memory-policy constraint, the nodes of its MPOL_BIND policy
/// (mempolicy_in_oom_domain, mm/mempolicy.c: any other policy, or none, intersects every mask).
/// </summary>
public static class OomCandidate
{
    /// <summary>The pid a task shows the kernel's lines (pid 1 is init: task ids count from 0).</summary>
    public static int Pid(IMmTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Id + 1;
    }

    /// <summary>The task as the OOM killer scores it; null for a task with no mm (a kernel thread's case: never chosen).</summary>
    public static OomTask? Of(IMmTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Mm is not { } mm)
        {
            return null;
        }
        var tables = (long)mm.PageTable.TablePages + mm.DepositedTables;
        return new OomTask(Pid(task), "task" + task.Id, mm.ResidentPages, 0, 0, 0, tables << mm.Mode.PageShift, mm.Vmas.Sum(v => v.Pages))
        {
            BindNodes = task.Policy.Mode == MemPolicyMode.Bind ? [.. task.Policy.Nodes] : null,
        };
    }

    /// <summary>
    /// The nodemask constrained_alloc sees for an allocation under <paramref name="policy"/>: MPOL_BIND's nodes
    /// (policy_nodemask), otherwise none.
    /// </summary>
    public static int[]? Nodemask(MemPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Mode == MemPolicyMode.Bind ? [.. policy.Nodes] : null;
    }
}
