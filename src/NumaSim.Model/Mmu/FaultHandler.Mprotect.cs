using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>mprotect (mm/mprotect.c): a range's protection changes; changed entries are shot down everywhere they may be cached.</summary>
public sealed partial class FaultHandler
{
    private readonly List<long> _changed = [];

    public FaultStep Mprotect(IMmTask task, long first, long pages, Protection protection, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now + _latency.FaultEntryNs;
        _changed.Clear();
        task.Mm!.Mprotect(first, pages, protection, _changed);
        return Shootdown(_changed, State.MprotectFlushed);
    }

    private FaultStep OnMprotectFlushed()
    {
        _recorder.Record("mprotect", _now - _start);
        return Done(FaultResult.Protected, -1, -1, 0, Gfp.None, false);
    }
}
