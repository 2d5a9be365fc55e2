using NumaSim.Model.Mmu;

namespace NumaSim.Model.Kernel;

/// <summary>
/// The OOM killer (mm/oom_kill.c) for a task whose fault found no memory: the kernel's report of the victim, the
/// victim stopped, and its address space torn down as exit_mmap does (every mapping unmapped; the caller flushes
/// the TLBs that may hold its entries and frees its pages, deposited tables and page tables). Who the victim is
/// comes from <see cref="OomBadness.Choose"/> where every task is known (the actors' OOM killer); the synchronous
/// fault path kills the faulting task (vm.oom_kill_allocating_task semantics).
/// </summary>
public static class OomKill
{
    /// <summary>Kills the victim and unmaps all it mapped: the present pages go to removed, the deposited tables to withdrawn.</summary>
    public static OomKillReport Kill(IMmTask victim, List<(long Vpn, Pte Pte)> removed, Dictionary<long, (long Pfn, int Node)> withdrawn)
    {
        ArgumentNullException.ThrowIfNull(victim);
        var mm = victim.Mm!;
        var report = new OomKillReport(victim.Id + 1, "task" + victim.Id, mm.Vmas.Sum(v => v.Pages), mm.ResidentPages,
            mm.PageTable.TablePages + mm.DepositedTables, mm.Mode.PageShift);
        victim.Stop();
        foreach (var vma in mm.Vmas.ToList())
        {
            mm.Munmap(vma.StartVpn, vma.Pages, removed, withdrawn);
        }
        return report;
    }
}
