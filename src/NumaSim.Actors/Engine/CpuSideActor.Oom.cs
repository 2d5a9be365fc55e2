using NumaSim.Actors.Messages;
using NumaSim.Model.Kernel;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Engine;

/// <summary>
/// __alloc_pages_may_oom: the allocation asks the OOM killer (<see cref="ComponentIds.OomKiller"/>) and waits. A kill
/// elsewhere, or another CPU's kill it waited for, retries the allocation from the start with what the victim gave
/// back; the allocating task chosen as the victim fails its fault, which kills it; with nobody to kill, it fails.
/// Without an OOM killer (a run without tasks) the allocation fails at once.
/// </summary>
public abstract partial class CpuSideActor
{
    private long[]? _givenBack;

    /// <summary>Starts counting the pages this CPU's frees give back to the zones (what an OOM kill gave back).</summary>
    protected void CountGivenBack() => _givenBack = new long[_reclaimable.Length];

    /// <summary>The pages given back since <see cref="CountGivenBack"/>, by zone index; counting stops.</summary>
    protected long[] TakeGivenBack()
    {
        var given = _givenBack ?? new long[_reclaimable.Length];
        _givenBack = null;
        return given;
    }

    /// <summary>Whether the run has an OOM killer to ask.</summary>
    protected virtual bool HasOomKiller => false;

    /// <summary>The task whose allocation this is (null: no task, the kernel's own), for the OOM killer.</summary>
    protected virtual IMmTask? AllocatingTask => null;

    /// <summary>The OOM killer chose the allocating task: its fault is about to fail and kill it, printing the report.</summary>
    protected virtual void ChosenByOomKiller(string report)
    {
    }

    /// <summary>
    /// The allocation in flight is parked at out_of_memory: this CPU waits for the OOM killer's answer, and for no zone,
    /// acknowledgement or drain (a read may wait for the page cache meanwhile: the allocation is its).
    /// </summary>
    protected bool ParkedAtOutOfMemory =>
        _serviceWaits.ContainsKey(typeof(OomAnswer)) && _pageContinuation is null && _acksAwaited == 0 && _drainsAwaited == 0;

    /// <summary>The trip to the OOM killer.</summary>
    protected long OomKillerTrip => ServiceTrip(ComponentIds.NodeOfService(ComponentIds.OomKiller, Topology));

    private bool OutOfMemory(ref AllocationStep step, Action<AllocationStep> then)
    {
        if (!HasOomKiller)
        {
            step = AllocationStep.Fail;
            return true;
        }
        var task = AllocatingTask;
        var request = _request!;
        var oom = new OomRequest(ComponentId, task is null ? -1 : OomCandidate.Pid(task), OomCandidate.Nodemask(request.Policy));
        AskService<OomAnswer>(ComponentIds.OomKiller, Now + OomKillerTrip, oom, answer =>
        {
            switch (answer.Outcome)
            {
                case OomOutcome.Killed:
                case OomOutcome.Retry:
                    for (var zone = 0; zone < answer.FreedByZone.Length; zone++)
                    {
                        Lift(zone, answer.FreedByZone[zone]);
                    }
                    DriveAllocation(Allocator.Begin(request, _view), then);
                    return;
                case OomOutcome.Victim:
                    ChosenByOomKiller(answer.Report!);
                    _directReclaim = false;
                    then(AllocationStep.Fail);
                    return;
                default:
                    _directReclaim = false;
                    then(AllocationStep.Fail);
                    return;
            }
        });
        return false;
    }
}
