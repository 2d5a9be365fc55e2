using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Reclaim;
using NumaSim.Model.Kernel;
using NumaSim.Model.Mmu;
using NumaSim.Model.Snapshots;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// This CPU's side of the OOM killer: it names its tasks for the victim's choice (at once, whatever it does), kills a
/// victim of its own when asked, and tells the OOM killer when a victim is gone, with the pages its death gave back.
/// A victim whose operation is in flight dies when that operation ends, or in its own fault if the operation reaches
/// the OOM killer (which then names it the victim); any other victim dies as soon as this CPU waits for nothing, or
/// its allocation is parked at out_of_memory (and is left as it was).
/// </summary>
public sealed partial class CpuActor
{
    // The task whose fault allocates (null for the stream's and the page cache's allocations).
    private SimTask? _faultTask;
    private (SimTask Task, string Report)? _pendingKill;
    private bool _selfKill;

    protected override bool HasOomKiller => OomKillerActor.Needed(_scenario);

    protected override IMmTask? AllocatingTask => _faultTask;

    protected override void ChosenByOomKiller(string report)
    {
        _mmu.ChosenByOomKiller(report);
        if (_pendingKill is { } pending && pending.Task == _faultTask)
        {
            _pendingKill = null;
        }
        _selfKill = true;
        CountGivenBack();
    }

    /// <summary>The running task died in its fault: if the OOM killer chose it, its memory is back now.</summary>
    private void SelfKillDone()
    {
        if (!_selfKill)
        {
            return;
        }
        _selfKill = false;
        Outbox.Send(ComponentIds.OomKiller, _now + OomKillerTrip, NotBefore, new OomKillDone(true, TakeGivenBack()));
    }

    private void AnswerCensus(long time)
    {
        _now = Math.Max(_now, time);
        var tasks = new List<OomTask>(_tasks.Count);
        foreach (var task in _tasks.Values.OrderBy(t => t.Id))
        {
            if (OomCandidate.Of(task) is { } candidate)
            {
                tasks.Add(candidate);
            }
        }
        AnswerService(ComponentIds.OomKiller, _now + OomKillerTrip, new OomCandidates(CpuId, [.. tasks]));
    }

    private void ServeKill(long time, OomKillTask kill)
    {
        _now = Math.Max(_now, time);
        var victim = _tasks.Values.FirstOrDefault(t => OomCandidate.Pid(t) == kill.Pid);
        if (victim is null)
        {
            // It left for another CPU meanwhile: no kill; the allocations retry.
            Outbox.Send(ComponentIds.OomKiller, _now + OomKillerTrip, NotBefore, new OomKillDone(false, []));
            return;
        }
        _pendingKill = (victim, kill.Report);
        Settled();
    }

    protected override void Settled()
    {
        if (_pendingKill is not { } pending || pending.Task == _running || (Blocked && !ParkedAtOutOfMemory))
        {
            return;
        }
        _pendingKill = null;
        if (!_tasks.ContainsKey(pending.Task.Id))
        {
            // It left for another CPU while it waited to die here: no kill; the allocations retry.
            Outbox.Send(ComponentIds.OomKiller, _now + OomKillerTrip, NotBefore, new OomKillDone(false, []));
            return;
        }
        Reap(pending.Task, pending.Report);
    }

    /// <summary>oom_kill_process and the victim's exit_mmap: unmapped, the TLBs flushed, its pages freed.</summary>
    private void Reap(SimTask victim, string report)
    {
        _tasks.Remove(victim.Id);
        Operations++;
        CountGivenBack();
        var flush = _mmu.Reap(victim, report, _now);
        foreach (var line in _mmu.TakeReports())
        {
            AddError(new SimError(line.Kind, line.Message, CpuId, line.Time));
        }
        if (flush is null)
        {
            FreeReaped();
        }
        else
        {
            Shootdown(flush, FreeReaped);
        }
    }

    private void FreeReaped()
    {
        var reaped = _mmu.ReapedBlocks();
        ForgetFolios(reaped, _mmu.ReapedSwapSlots);
        foreach (var block in reaped)
        {
            FreeBlock(block.Zone, block.Pfn, block.Order, block.Type, block.PageTable ? FreeKind.PageTable : FreeKind.Munmap);
        }
        Outbox.Send(ComponentIds.OomKiller, _now + OomKillerTrip, NotBefore, new OomKillDone(true, TakeGivenBack()));
    }
}
