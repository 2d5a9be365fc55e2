using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>A fault that found no memory: the OOM killer (<see cref="OomKill"/>) takes the task, and its memory comes back once every TLB has dropped it.</summary>
public sealed partial class FaultHandler
{
    /// <summary>The failed fault's tables are back: the fault is over, and the OOM killer runs.</summary>
    private FaultStep OnOomTablesFreed()
    {
        _recorder.Record("fault_oom", _now - _start);
        _removed.Clear();
        _deposits.Clear();
        var report = OomKill.Kill(_task!, _removed, _deposits);
        _events.CountOomKill();
        Report("oom", report.ToString());
        return Shootdown(RemovedVpns(), State.OomFlushed);
    }

    private FaultStep OnOomFlushed()
    {
        var mm = _task!.Mm!;
        _frees.Clear();
        FreeUnmapped(mm);
        foreach (var (pfn, node) in mm.PageTable.Tables)
        {
            NodeStats.PageTable(node, -1);
            FreeLater(node, pfn, 0, MigrateType.Unmovable, pageTable: true);
        }
        return FreeThen(State.OomDone);
    }

    private FaultStep OnOomDone() => Done(FaultResult.OomKilled, -1, -1, 0, Gfp.None, false);
}
