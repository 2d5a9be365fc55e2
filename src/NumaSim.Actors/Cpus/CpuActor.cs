using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// One CPU: runs its workload stream, serves allocations from its own per-CPU lists without a
/// message, and asks a zone (and waits, in simulated time) only for a refill or a large block.
/// Work that falls due while it waits is done when the answer arrives.
/// </summary>
public sealed class CpuActor : SimComponentActor
{
    private readonly int _cpu;
    private readonly CpuPageAllocator _allocator;
    private readonly CpuWorkload _workload;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly LatencyRecorder _recorder = new();
    private readonly Queue<ISimPayload> _deferred = new();
    private readonly Func<int, ZoneFreeView> _view;

    private long _now;
    private AllocationKind? _pending;
    private long _pendingStart;
    private bool _askedRemote;
    private long _served, _failed, _frees, _remoteServed;

    public CpuActor(int cpu, PageAllocatorSetup setup, CpuWorkload workload, LatencyModel latency)
        : base(ComponentIds.Cpu(cpu))
    {
        _cpu = cpu;
        _topology = setup.Topology;
        _latency = latency;
        _allocator = new CpuPageAllocator(cpu, setup);
        _workload = workload;
        _view = zone => Views[zone];
        if (_workload.HasMore)
        {
            Schedule(_workload.ThinkTime(), AllocDue.Instance);
        }
        Receive<CollectState>(_ => Sender.Tell(new CpuState(
            _allocator.Report(), _recorder, _workload.Issued, _served, _failed, _frees, _remoteServed, Operations)));
    }

    public static Props Props(int cpu, PageAllocatorSetup setup, CpuWorkload workload, LatencyModel latency) =>
        Akka.Actor.Props.Create(() => new CpuActor(cpu, setup, workload, latency));

    protected override bool WorkloadFinished => !_workload.HasMore && _pending is null;

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        if (payload is ZoneAllocReply reply)
        {
            _now = Math.Max(_now, key.Time);
            Continue(_allocator.Resume(reply.Pfns, _view));
            while (_pending is null && _deferred.Count > 0)
            {
                Do(_deferred.Dequeue());
            }
            return;
        }
        if (_pending is not null)
        {
            _deferred.Enqueue(payload);
            return;
        }
        _now = Math.Max(_now, key.Time);
        Do(payload);
    }

    private void Do(ISimPayload work)
    {
        switch (work)
        {
            case AllocDue:
                StartAllocation();
                break;
            case FreeDue free:
                FreeBlock(free);
                break;
        }
    }

    private void StartAllocation()
    {
        var kind = _workload.Next();
        _pending = kind;
        _pendingStart = _now;
        _askedRemote = false;
        _now += _latency.PcpAllocNs;
        Continue(_allocator.Begin(new AllocationRequest(kind.Order, kind.Gfp, _workload.Policy), _view));
    }

    private void Continue(AllocationStep step)
    {
        var kind = _pending!;
        switch (step.Kind)
        {
            case AllocationStepKind.AskZone:
                var distance = _topology.DistanceBetween(_allocator.Node, ZoneIndex.Node(step.Zone));
                _askedRemote |= distance != MachineTopology.LocalDistance;
                Outbox.Send(ComponentIds.Zone(step.Zone), _now + _latency.ZoneMessage(distance), WindowEnd, new ZoneAllocRequest(_cpu, step.Request));
                return;
            case AllocationStepKind.Allocated:
                _served++;
                var remote = ZoneIndex.Node(step.Zone) != _allocator.Node;
                _remoteServed += remote ? 1 : 0;
                _recorder.Record(LatencyKind(remote), _now - _pendingStart);
                if (_workload.Lifetime(kind) is { } lifetime)
                {
                    Schedule(_now + lifetime, new FreeDue(step.Zone, step.Pfn, kind.Order, kind.Gfp.MigrateType()));
                }
                break;
            default:
                _failed++;
                if (kind.Gfp.CanDirectReclaim())
                {
                    _now += _latency.DirectReclaimNs;
                }
                _recorder.Record("alloc_failed", _now - _pendingStart);
                break;
        }
        _pending = null;
        Operations++;
        if (_workload.HasMore)
        {
            Schedule(_now + _workload.ThinkTime(), AllocDue.Instance);
        }
    }

    private string LatencyKind(bool remoteZone) =>
        _now - _pendingStart == _latency.PcpAllocNs && !_askedRemote ? "alloc_pcp"
        : remoteZone || _askedRemote ? "alloc_zone_remote"
        : "alloc_zone_local";

    private void FreeBlock(FreeDue free)
    {
        var start = _now;
        var drained = _allocator.Free(free.Zone, free.Pfn, free.Order, free.Type);
        _now += _latency.PcpFreeNs;
        if (drained.Count > 0)
        {
            // The CPU takes the zone lock to hand the blocks back: it pays the trip and the work.
            var distance = _topology.DistanceBetween(_allocator.Node, ZoneIndex.Node(free.Zone));
            Outbox.Send(ComponentIds.Zone(free.Zone), _now + _latency.ZoneMessage(distance), WindowEnd, new ZoneFreeBlocks(_cpu, [.. drained]));
            _now += _latency.ZoneMessage(distance) + _latency.BuddyOpNs * drained.Count;
        }
        _frees++;
        Operations++;
        _recorder.Record(drained.Count > 0 ? "free_drain" : "free_pcp", _now - start);
    }
}
