using NumaSim.Model.Kernel;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// The OOM killer (mm/oom_kill.c) for a task whose fault found no memory: the kernel's report, oom_kill counted,
/// and the victim's address space torn down as exit_mmap does (every mapping unmapped, the TLBs that may hold its
/// entries flushed, its pages, deposited tables and page tables freed). Reclaim is not modelled yet, so a failed
/// fault is final, and the victim is the faulting task itself (vm.oom_kill_allocating_task semantics).
/// </summary>
public sealed partial class CpuActor
{
    private void OomKill(SimTask task)
    {
        var mm = task.Mm!;
        var report = new OomKillReport(task.Id + 1, "task" + task.Id, mm.Vmas.Sum(v => v.Pages), mm.ResidentPages,
            mm.PageTable.TablePages + mm.DepositedTables, mm.Mode.PageShift);
        _allocator.Events.CountOomKill();
        Error("oom", report.ToString());
        task.Stop();
        var removed = new List<(long Vpn, Pte Pte)>();
        var deposits = new Dictionary<long, (long Pfn, int Node)>();
        foreach (var vma in mm.Vmas.ToList())
        {
            mm.Munmap(vma.StartVpn, vma.Pages, removed, deposits);
        }
        Shootdown(task, [.. removed.Select(r => r.Vpn)], () =>
        {
            FreeUnmapped(mm, removed, deposits);
            foreach (var (pfn, node) in mm.PageTable.Tables)
            {
                _nodeStats.PageTable(node, -1);
                FreeBlock(ZoneOfPfn(node, pfn), pfn, 0, MigrateType.Unmovable, FreeKind.PageTable);
            }
            _tasks.Remove(task.Id);
        });
    }
}
