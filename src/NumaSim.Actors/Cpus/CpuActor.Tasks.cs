using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// Tasks on this CPU: each step (an access, an mmap, munmap or mprotect, a migration) is a call into the CPU's
/// <see cref="FaultHandler"/>, whose steps this drives: a page from the allocator, frees through this CPU's lists,
/// a shootdown's IPIs. The outcome goes back to the task as its next step.
/// </summary>
public sealed partial class CpuActor
{
    private readonly Scenario _scenario;
    private readonly Dictionary<int, SimTask> _tasks = [];
    private readonly FaultHandler _mmu;
    private long _migrations;
    private int _tasksToStart;

    // The task whose operation the handler runs: a CPU runs one at a time (it blocks while it waits), so one
    // delegate resumes them all, rather than a closure per fault on the hot path.
    private SimTask? _running;
    private Action<AllocationStep>? _resumeWithPage;
    private Action? _resumeAfterFlush;

    // This CPU is the one its node's kswapd shares (KswapdCpu): while kswapd balances the node, a task's step here
    // takes twice its time, as the task gets half the CPU. _stepStart is when the running step began (-1: the next
    // step is scheduled by something else than a step, a task's start or arrival).
    private readonly bool _hostsKswapd;
    private readonly int[] _nodeZones;
    private long _stepStart = -1;

    private void StartTask(int taskId)
    {
        var (_, stream) = _scenario.TasksStartingOn(CpuId).First(t => t.TaskId == taskId);
        var task = new SimTask(taskId, stream, new SimRandom(_scenario.Seed, ComponentIds.CpuBase * 2 + taskId))
        {
            CpuIndex = stream.Cpus.ToList().IndexOf(CpuId),
        };
        _tasks[taskId] = task;
        _tasksToStart--;
        Run(task, _mmu.CreateMm(task, _now));
    }

    private void ScheduleStep(SimTask task)
    {
        var shared = _hostsKswapd && _stepStart >= 0 && KswapdBalancing() ? Math.Max(0, _now - _stepStart) : 0;
        _stepStart = -1;
        if (!task.Finished)
        {
            Schedule(_now + task.ThinkNs + shared, task.StepDue);
        }
    }

    /// <summary>ZONE_RECLAIM_ACTIVE on a zone of this node, as the zones last reported it: its kswapd is balancing.</summary>
    private bool KswapdBalancing()
    {
        foreach (var zone in _nodeZones)
        {
            if (Views[zone].ReclaimActive)
            {
                return true;
            }
        }
        return false;
    }

    private void StepTask(int taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var task) || task.Finished || TryNumaScan(task))
        {
            return;
        }
        _stepStart = _now;
        if (task.Program is { } program)
        {
            RunProgram(task, program);
            return;
        }
        if (task.TryTakePending(out var kind))
        {
            switch (kind)
            {
                case PeriodicStep.Munmap:
                    UnmapAndRemapChunk(task);
                    return;
                case PeriodicStep.Mprotect:
                    FlipChunkProtection(task);
                    return;
                default:
                    Migrate(task);
                    return;
            }
        }
        Run(task, _mmu.Access(task, task.BaseVpn + task.Accesses.Next(), task.Random.NextDouble() < task.Stream.WriteRatio, _now));
    }

    /// <summary>Drives the handler's operation for the task: each step it asks for is done here, and the outcome ends it.</summary>
    private void Run(SimTask task, FaultStep step)
    {
        _running = task;
        Drive(step);
    }

    private void Drive(FaultStep step)
    {
        while (true)
        {
            _now = step.Now;
            if (_mmu.HasReports)
            {
                foreach (var report in _mmu.TakeReports())
                {
                    AddError(new SimError(report.Kind, report.Message, CpuId, report.Time));
                }
            }
            switch (step.Kind)
            {
                case FaultStepKind.Allocate:
                    _faultTask = _running;
                    AllocateWatched(_mmu.Request!, _resumeWithPage ??= page => Drive(_mmu.Resume(_now, page)));
                    return;
                case FaultStepKind.Free:
                    // The folios leave the LRU before their pages go back (release_pages: lruvec_del_folio, then the
                    // free), so that the kswapd hears of it before a page drained to its zone can come back to it.
                    ForgetFolios(_mmu.Blocks, _mmu.SwapSlots);
                    foreach (var block in _mmu.Blocks)
                    {
                        FreeBlock(block.Zone, block.Pfn, block.Order, block.Type, block.PageTable ? FreeKind.PageTable : FreeKind.Munmap);
                    }
                    step = _mmu.Resume(_now);
                    continue;
                case FaultStepKind.Shootdown:
                    Shootdown(_mmu.Flush!, _resumeAfterFlush ??= () => Drive(_mmu.Resume(_now)));
                    return;
                case FaultStepKind.SwapIn:
                    AskSwapIn(_running!);
                    return;
                default:
                    AddNewFolio(_running!);
                    Finish(_running!, _mmu.Outcome);
                    return;
            }
        }
    }

    private void Finish(SimTask task, in FaultOutcome outcome)
    {
        _running = null;
        switch (outcome.Result)
        {
            case FaultResult.TlbHit:
                RecordAccess(AccessKinds.TlbHit, outcome.Start, outcome.Node, outcome.Pfn, outcome.Order);
                FinishAccess(task);
                return;
            case FaultResult.Walk:
                RecordAccess(AccessKinds.Walk, outcome.Start, outcome.Node, outcome.Pfn, outcome.Order);
                FinishAccess(task);
                return;
            case FaultResult.Fault:
                _allocGfp = outcome.Gfp;
                RecordAccess(AccessKinds.Fault, outcome.Start, outcome.Node, outcome.Pfn, outcome.Order);
                if (Observed)
                {
                    Observe(new PageFaulted(_now, CpuId, task.Id, outcome.Vpn << Topology.Arch.Paging.PageShift, outcome.Node, outcome.Huge));
                }
                FinishAccess(task);
                return;
            case FaultResult.Segfault:
                task.Segfaults++;
                FinishAccess(task);
                return;
            case FaultResult.OomKilled:
                Operations++;
                _tasks.Remove(task.Id);
                SelfKillDone();
                return;
            case FaultResult.NoRoot:
                task.Stop();
                return;
            case FaultResult.NumaHint:
                FinishNumaHint(task, outcome);
                return;
            case FaultResult.NumaScanned:
                Schedule(_now, task.StepDue);
                return;
            case FaultResult.PagesMigrated:
                FinishMigratePages(task);
                return;
            case FaultResult.MmCreated:
                if (task.Program is null)
                {
                    var stream = task.Stream;
                    task.BaseVpn = task.Mm!.Mmap(stream.WorkingSetPages, Protection.ReadWrite, stream.Policy, stream.Thp ? task.Mm.Mode.HugePages : 1, stream.Thp);
                }
                Operations++;
                ScheduleStep(task);
                return;
            default:
                Operations++;
                ScheduleStep(task);
                return;
        }
    }

    private void FinishAccess(SimTask task)
    {
        Operations++;
        task.CountAccess();
        ScheduleStep(task);
    }

    private static long RandomChunk(SimTask task) =>
        (long)(task.Random.NextUInt64() % (ulong)(task.Stream.WorkingSetPages / task.Stream.ChunkPages));

    /// <summary>mprotect: flip a chunk between read-only and read-write.</summary>
    private void FlipChunkProtection(SimTask task)
    {
        var chunk = RandomChunk(task);
        var readOnly = task.ReadOnlyChunks.Add(chunk) || !task.ReadOnlyChunks.Remove(chunk);
        Run(task, _mmu.Mprotect(task, task.BaseVpn + chunk * task.Stream.ChunkPages, task.Stream.ChunkPages, readOnly ? Protection.Read : Protection.ReadWrite, _now));
    }

    /// <summary>munmap a chunk and map it again: it is read-write again, and its pages fault back in on next touch.</summary>
    private void UnmapAndRemapChunk(SimTask task)
    {
        var chunk = RandomChunk(task);
        task.ReadOnlyChunks.Remove(chunk);
        Run(task, _mmu.UnmapAndRemap(task, task.BaseVpn + chunk * task.Stream.ChunkPages, task.Stream.ChunkPages, task.Stream.Policy, task.Stream.Thp, _now));
    }

    /// <summary>The task moves to the next CPU of its list; its address space goes with it.</summary>
    private void Migrate(SimTask task)
    {
        task.CpuIndex = (task.CpuIndex + 1) % task.Stream.Cpus.Count;
        MigrateTo(task, task.Stream.Cpus[task.CpuIndex]);
    }

    private void MigrateTo(SimTask task, int target)
    {
        _tasks.Remove(task.Id);
        NumaTaskLeaving(task, target);
        _departed[task.Id] = target;
        var arrival = _now + Latency.MigrationNs * Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(target)) / 10;
        Outbox.Send(ComponentIds.Cpu(target), arrival, NotBefore, new TaskMigration(task));
        _migrations++;
        Operations++;
    }

    private void ArriveTask(SimTask task)
    {
        _tasks[task.Id] = task;
        _departed.Remove(task.Id);
        task.Mm!.RanOn(CpuId);
        ScheduleStep(task);
    }
}
