using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// One CPU: its per-CPU page lists, its TLB, the allocation stream and the tasks it runs. Work
/// that needs no one else (a TLB hit, a per-CPU list allocation) costs no message. The CPU blocks
/// in simulated time while it waits for a zone or for shootdown acknowledgements; work falling
/// due meanwhile runs when it resumes, while IPIs are served at once, as interrupts are.
/// </summary>
public sealed partial class CpuActor : SimComponentActor
{
    private readonly int _cpu;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly CpuPageAllocator _allocator;
    private readonly LatencyRecorder _recorder = new();
    private readonly Queue<(long Time, ISimPayload Work)> _deferred = new();
    private readonly Func<int, ZoneFreeView> _view;
    private readonly List<SimError> _errors = [];

    private long _now;
    private Action<AllocationStep>? _zoneContinuation;
    private int _acksAwaited;
    private long _blockEpisode;
    private Action? _ackContinuation;

    public CpuActor(int cpu, Scenario scenario, PageAllocatorSetup setup)
        : base(ComponentIds.Cpu(cpu), scenario.UsesQuantumWindows)
    {
        _cpu = cpu;
        _topology = setup.Topology;
        _latency = scenario.Latency;
        _allocator = new CpuPageAllocator(cpu, setup);
        _view = zone => Views[zone];
        _accessesByNode = new long[_topology.Nodes.Count];
        _workload = new CpuWorkload(scenario.StreamOf(cpu), new SimRandom(scenario.Seed, ComponentIds.Cpu(cpu)));
        _mmu = new FaultHandler(cpu, _topology, _latency, scenario.Tlb, _recorder, _allocator.Events);
        _scenario = scenario;
        if (_workload.HasMore)
        {
            Schedule(_workload.ThinkTime(), AllocDue.Instance);
        }
        foreach (var (taskId, _) in scenario.TasksStartingOn(cpu))
        {
            Schedule(0, new TaskStart(taskId));
            _tasksToStart++;
        }
        Receive<CollectState>(_ => Sender.Tell(CollectState()));
    }

    public static Props Props(int cpu, Scenario scenario, PageAllocatorSetup setup) =>
        Akka.Actor.Props.Create(() => new CpuActor(cpu, scenario, setup));

    private int Node => _allocator.Node;

    protected override bool Blocked => _zoneContinuation is not null || _acksAwaited > 0;

    protected override long BlockEpisode => _blockEpisode;

    protected override bool WorkloadFinished =>
        !_workload.HasMore && !Blocked && _tasksToStart == 0 && _tasks.Values.All(t => t.Finished);

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        switch (payload)
        {
            case ZoneAllocReply reply:
                _now = Math.Max(_now, key.Time);
                var then = _zoneContinuation!;
                _zoneContinuation = null;
                _crossNodeSpans?.EndZoneRequest(reply.Pfns, Epoch, _now);
                DriveAllocation(_allocator.Resume(reply.Pfns, _view), then);
                break;
            case TlbShootdownAck:
                _now = Math.Max(_now, key.Time);
                if (--_acksAwaited == 0)
                {
                    var done = _ackContinuation!;
                    _ackContinuation = null;
                    done();
                }
                break;
            case TlbShootdown shootdown:
                ServeShootdown(key.Time, shootdown);
                return;
            default:
                if (Blocked)
                {
                    _deferred.Enqueue((key.Time, payload));
                    return;
                }
                _now = Math.Max(_now, key.Time);
                Do(payload);
                break;
        }
        while (!Blocked && _deferred.Count > 0)
        {
            var (time, work) = _deferred.Dequeue();
            _now = Math.Max(_now, time);
            Do(work);
        }
    }

    private void Do(ISimPayload work)
    {
        switch (work)
        {
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
            case TaskStepDue step:
                StepTask(step.TaskId);
                break;
            case TaskMigration migration:
                ArriveTask((SimTask)migration.Task);
                break;
        }
    }

    /// <summary>One page-allocator call; the continuation runs when it completes, at once or after a zone answers.</summary>
    private void AllocatePages(AllocationRequest request, Action<AllocationStep> then)
    {
        _allocGfp = request.Gfp;
        DriveAllocation(_allocator.Begin(request, _view), Observed ? ObservingRemote(request.Order, then) : then);
    }

    private Action<AllocationStep> ObservingRemote(int order, Action<AllocationStep> then) => step =>
    {
        if (step.Kind == AllocationStepKind.Allocated && ZoneIndex.Node(step.Zone) != Node)
        {
            Observe(new RemoteAllocationServed(_now, _cpu, Node, ZoneIndex.Node(step.Zone), step.Pfn, order));
        }
        then(step);
    };

    private void DriveAllocation(AllocationStep step, Action<AllocationStep> then)
    {
        if (step.Kind == AllocationStepKind.AskZone)
        {
            var zoneNode = ZoneIndex.Node(step.Zone);
            var distance = _topology.DistanceBetween(Node, zoneNode);
            var request = Spans.StartZoneRequest(new ZoneAllocRequest(_cpu, step.Request, ComponentId), zoneNode, _allocGfp, Epoch, _now);
            Outbox.Send(ComponentIds.Zone(step.Zone), _now + _latency.ZoneMessage(distance), NotBefore, request);
            _zoneContinuation = then;
            _blockEpisode++;
            return;
        }
        then(step);
    }

    /// <summary>Frees a block through this CPU's list; a drain costs the trip to the zone and its lock work.</summary>
    private void FreeBlock(int zone, long pfn, int order, MigrateType type, FreeKind kind)
    {
        var start = _now;
        var drained = _allocator.Free(zone, pfn, order, type);
        _now += _latency.PcpFreeNs;
        if (drained.Count > 0)
        {
            var distance = _topology.DistanceBetween(Node, ZoneIndex.Node(zone));
            Outbox.Send(ComponentIds.Zone(zone), _now + _latency.ZoneMessage(distance), NotBefore, new ZoneFreeBlocks(_cpu, [.. drained]));
            _now += _latency.ZoneMessage(distance) + _latency.BuddyOpNs * drained.Count;
        }
        _recorder.Record(drained.Count > 0 ? kind.Drain : kind.Pcp, _now - start);
    }

    private CpuState CollectState()
    {
        var report = _allocator.Report();
        var events = new Dictionary<string, long>(report.VmEvents);
        return new CpuState(
            report with { VmEvents = events },
            _recorder,
            _workload.Issued,
            _streamServed,
            _streamFailed,
            _streamFrees,
            _streamRemote,
            Operations)
        {
            Tlb = new TlbCounts(_mmu.TlbHits, _mmu.TlbMisses),
            Mmu = new MmuTotals(_mmu.Faults, _mmu.Segfaults, _shootdowns, _ipisSent, _migrations, _mmu.TlbEvictions),
            NodeStats = _mmu.NodeStats.ToDictionary(),
            Errors = _errors,
            Clock = _now,
            AccessesByNode = [.. _accessesByNode],
            LatencyByNodePair = _pairLatency,
            AllocationsByClass = AllocationsByClass(),
        };
    }
}
