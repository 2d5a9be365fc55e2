using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Reclaim;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Lru;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// One CPU: its per-CPU page lists, its TLB, the allocation stream and the tasks it runs. Work
/// that needs no one else (a TLB hit, a per-CPU list allocation) costs no message. The CPU blocks
/// in simulated time while it waits for a zone or for shootdown acknowledgements; work falling
/// due meanwhile runs when it resumes, while IPIs are served at once, as interrupts are.
/// </summary>
public sealed partial class CpuActor : CpuSideActor
{
    private const int MaxErrorsKept = 100;

    private readonly LatencyRecorder _recorder = new();

    private long _now;

    public CpuActor(int cpu, Scenario scenario, PageAllocatorSetup setup)
        : base(ComponentIds.Cpu(cpu), cpu, scenario.UsesQuantumWindows, scenario.Latency, setup, MaxErrorsKept, scenario.Sysctl.ZoneReclaimMode)
    {
        _accessesByNode = new long[Topology.Nodes.Count];
        _lruAdds = [.. Topology.Nodes.Select(_ => new FolioBatch())];
        _lruDels = [.. Topology.Nodes.Select(_ => new List<long>())];
        _workload = new CpuWorkload(scenario.StreamOf(cpu), new SimRandom(scenario.Seed, ComponentIds.Cpu(cpu)));
        _mmu = new FaultHandler(cpu, Topology, Latency, scenario.Tlb, _recorder, Allocator.Events);
        _scenario = scenario;
        _hostsKswapd = KswapdCpu.Shared(scenario, Topology, NodeId) == cpu;
        _nodeZones = [.. setup.Populated.Where(z => z.Node == NodeId).Select(z => z.Index)];
        EnableNumaBalancing(scenario, setup);
        if (_workload.HasMore)
        {
            Schedule(_workload.ThinkTime(), AllocDue.Instance);
        }
        foreach (var (taskId, _) in scenario.TasksStartingOn(cpu))
        {
            Schedule(0, new TaskStart(taskId));
            _tasksToStart++;
        }
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(_now, Topology.Nodes.Count, _mmu.NodeStats.Get, item => Allocator.Events[item]);

    public static Props Props(int cpu, Scenario scenario, PageAllocatorSetup setup) =>
        Akka.Actor.Props.Create(() => new CpuActor(cpu, scenario, setup));

    protected override long Now
    {
        get => _now;
        set => _now = value;
    }

    protected override bool WorkloadFinished =>
        !_workload.HasMore && !Blocked && _tasksToStart == 0 && _tasks.Values.All(t => t.Finished);

    /// <summary>
    /// An IPI is served at once, whatever this CPU is doing, as interrupts are; so is the page cache's request for
    /// pages, which comes while this CPU waits in the read that needs them, the OOM killer's questions
    /// (CpuActor.Oom.cs), and reclaim's try_to_unmap and demotion (the rmap walk another CPU does on this one's page tables).
    /// </summary>
    protected override bool TryInterrupt(long time, ISimPayload payload)
    {
        // A task's step, the most common event by far, is no interrupt: it skips the six type tests below.
        if (payload is TaskStepDue)
        {
            return false;
        }
        switch (payload)
        {
            case TlbShootdown shootdown:
                ServeShootdown(time, shootdown);
                return true;
            case PageCacheAllocRequest request:
                _now = Math.Max(_now, time);
                ServeCacheAllocation(request);
                return true;
            case OomCensus:
                AnswerCensus(time);
                return true;
            case OomKillTask kill:
                ServeKill(time, kill);
                return true;
            case UnmapRequest unmap:
                ServeUnmap(time, unmap);
                return true;
            case DemoteRemap demote:
                ServeDemote(time, demote);
                return true;
            case SplitHugeRequest split:
                ServeSplit(time, split);
                return true;
            case DemoteFile demote:
                ServeDemoteFile(time, demote);
                return true;
            default:
                return false;
        }
    }

    protected override void Do(ISimPayload work)
    {
        switch (work)
        {
            case TaskStepDue step:
                StepTask(step.TaskId);
                break;
            case AllocDue:
                StartStreamAllocation();
                break;
            case FreeDue free:
                FreeBlock(free.Zone, free.Pfn, free.Order, free.Type, FreeKind.Stream);
                _streamFrees++;
                Operations++;
                break;
            case TaskStart start:
                StartTask(start.TaskId);
                break;
            case TaskMigration migration:
                ArriveTask((SimTask)migration.Task);
                break;
        }
    }

    /// <summary>One page-allocator call, watched for a remote zone's answer when a test listens.</summary>
    private void AllocateWatched(AllocationRequest request, Action<AllocationStep> then) =>
        AllocatePages(request, Observed ? ObservingRemote(request.Order, then) : then);

    private Action<AllocationStep> ObservingRemote(int order, Action<AllocationStep> then) => step =>
    {
        if (step.Kind == AllocationStepKind.Allocated && ZoneIndex.Node(step.Zone) != NodeId)
        {
            Observe(new RemoteAllocationServed(_now, CpuId, NodeId, ZoneIndex.Node(step.Zone), step.Pfn, order));
        }
        then(step);
    };

    /// <summary>Frees a block through this CPU's list, its latency kept by the kind of free.</summary>
    private void FreeBlock(int zone, long pfn, int order, MigrateType type, FreeKind kind)
    {
        var start = _now;
        var drained = FreeToPcp(zone, pfn, order, type);
        _recorder.Record(drained > 0 ? kind.Drain : kind.Pcp, _now - start);
    }

    private CpuState CollectState()
    {
        var report = Allocator.Report();
        return new CpuState(
            report,
            LatencySnapshot.Of(_recorder),
            _workload.Issued,
            _streamServed,
            _streamFailed,
            _streamFrees,
            _streamRemote,
            Operations)
        {
            Tlb = new TlbCounts(_mmu.TlbHits, _mmu.TlbMisses),
            Mmu = new MmuTotals(_mmu.Faults, _mmu.Segfaults, _shootdowns, IpisSent, _migrations, _mmu.TlbEvictions),
            NodeStats = _mmu.NodeStats.Snapshot(),
            ZoneStats = _mmu.NodeStats.ZoneSnapshot(),
            Errors = KeptErrors,
            Clock = _now,
            AccessesByNode = [.. _accessesByNode],
            LatencyByNodePair = _pairLatency is null ? null : LatencySnapshot.Of(_pairLatency),
            AllocationsByClass = AllocationsByClass(),
        };
    }
}
