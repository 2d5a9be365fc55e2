using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>
/// A fault that found no memory: the OOM killer (<see cref="OomKill"/>) takes the task, and its memory comes back once
/// every TLB has dropped it. When the OOM killer chose the task among all (<see cref="OomBadness.Choose"/>), its lines
/// are printed; else the task dies as the allocating task (vm.oom_kill_allocating_task).
/// </summary>
public sealed partial class FaultHandler
{
    private string? _chosenReport;

    /// <summary>The OOM killer chose the task whose fault waits in the allocator: the kernel's lines it prints of it.</summary>
    public void ChosenByOomKiller(string report) => _chosenReport = report;

    /// <summary>The failed fault's tables are back: the fault is over, and the OOM killer runs.</summary>
    private FaultStep OnOomTablesFreed()
    {
        _recorder.Record("fault_oom", _now - _start);
        _removed.Clear();
        _deposits.Clear();
        var report = OomKill.Kill(_task!, _removed, _deposits);
        _events.CountOomKill();
        Report("oom", _chosenReport ?? report.ToString());
        _chosenReport = null;
        return Shootdown(RemovedVpns(), State.OomFlushed);
    }

    private FaultStep OnOomFlushed()
    {
        var mm = _task!.Mm!;
        _frees.Clear();
        FreeUnmapped(mm);
        FreePageTables(mm, _frees);
        return FreeThen(State.OomDone);
    }

    // free_pgtables: the table pages themselves go last.
    private void FreePageTables(AddressSpace mm, List<FreedBlock> frees)
    {
        foreach (var (pfn, node) in mm.PageTable.Tables)
        {
            NodeStats.PageTable(node, -1);
            frees.Add(new FreedBlock(ZoneOfPfn(node, pfn), pfn, 0, MigrateType.Unmovable, PageTable: true));
        }
    }

    private FaultStep OnOomDone() => Done(FaultResult.OomKilled, -1, -1, 0, Gfp.None, false);
}
