using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Engine;

/// <summary>
/// The CPU-side protocol of every actor that allocates pages or sends IPIs, as Akka.Persistence's Eventsourced
/// owns the wait-and-stash protocol for every persistent actor: while it waits (for a zone's answer or for IPI
/// acknowledgements, or while the subclass is <see cref="Busy"/>), work falling due is deferred and runs, in
/// order, when the wait ends; the answers themselves, and interrupts (<see cref="TryInterrupt"/>), are served at
/// once. It also owns the zone request and reply of a page allocation (<see cref="AllocatePages"/>), the free to
/// this CPU's lists with the drain to the zone (<see cref="FreeToPcp"/>), the IPI fan-out with its ack counting
/// (<see cref="SendIpis"/>) and the kept errors with their cap (<see cref="AddError"/>). How a mechanism
/// uses it: docs/architecture.md section 4.
/// </summary>
public abstract partial class CpuSideActor : SimComponentActor
{
    private readonly Queue<(long Time, ISimPayload Work)> _deferred = new();
    private readonly List<SimError> _errors = [];
    private readonly int _maxErrors;
    private long _blockEpisode;

    /// <param name="componentId">The clock's id of this component.</param>
    /// <param name="cpu">The CPU it runs on.</param>
    /// <param name="quantumWindows">Whether the run uses global windows.</param>
    /// <param name="latency">The run's costs.</param>
    /// <param name="setup">The page allocator's setup.</param>
    /// <param name="maxErrors">Errors kept at most.</param>
    /// <param name="reclaim">
    /// Whether the allocator's slow path reclaims (wakes kswapd, reclaims directly through the nodes' kswapd actors,
    /// then gives up to the OOM killer), with vm.zone_reclaim_mode; null: it fails at the min watermark.
    /// </param>
    protected CpuSideActor(int componentId, int cpu, bool quantumWindows, LatencyModel latency, PageAllocatorSetup setup, int maxErrors, int? reclaim = null)
        : base(componentId, quantumWindows)
    {
        ArgumentNullException.ThrowIfNull(setup);
        CpuId = cpu;
        Topology = setup.Topology;
        Latency = latency;
        Allocator = new CpuPageAllocator(cpu, setup) { ReclaimSteps = reclaim is not null, ZoneReclaimMode = reclaim ?? 0 };
        _maxErrors = maxErrors;
        _reclaimable = new long[setup.ZoneSlots];
        _view = zone => _overlay is null ? Views[zone] : Views[zone] with { FreePages = Views[zone].FreePages + _overlay[zone] };
    }

    /// <summary>The CPU this actor runs on.</summary>
    protected int CpuId { get; }

    protected int NodeId => Allocator.Node;

    protected MachineTopology Topology { get; }

    protected LatencyModel Latency { get; }

    /// <summary>This CPU's side of the page allocator: its per-CPU lists, and the zonelist walk.</summary>
    protected CpuPageAllocator Allocator { get; }

    /// <summary>The CPU's simulated time: the subclass keeps it, the protocol moves it.</summary>
    protected abstract long Now { get; set; }

    /// <summary>Work must wait: the actor waits for an answer, or (a subclass's choice) something it started is not over.</summary>
    protected virtual bool Busy => Blocked;

    protected sealed override bool Blocked => _pageContinuation is not null || _acksAwaited > 0 || _serviceWaits.Count > 0 || _drainsAwaited > 0;

    // Only a zone's page answer has one sender known: the zone the request went to.
    protected sealed override int Awaited =>
        _pageContinuation is not null && _acksAwaited == 0 && _serviceWaits.Count == 0 && _drainsAwaited == 0 ? _askedZone : -1;

    protected sealed override long BlockEpisode => _blockEpisode;

    /// <summary>TLB-flush IPIs sent to other CPUs.</summary>
    protected long IpisSent { get; private set; }

    /// <summary>The errors kept so far (the first ones, up to the cap), copied.</summary>
    protected SimError[] KeptErrors => [.. _errors];

    /// <summary>Runs work that fell due (deferred while <see cref="Busy"/>).</summary>
    protected abstract void Do(ISimPayload work);

    /// <summary>Serves a message that must not wait (an interrupt, a wake-up); false for deferrable work.</summary>
    protected virtual bool TryInterrupt(long time, ISimPayload payload) => false;

    protected sealed override void Handle(SimEventKey key, ISimPayload payload)
    {
        switch (payload)
        {
            case ZoneAllocReply reply:
                Now = Math.Max(Now, key.Time);
                var then = _pageContinuation!;
                _pageContinuation = null;
                _crossNodeSpans?.EndZoneRequest(reply.Pfns, Epoch, Now);
                DriveAllocation(Allocator.Resume(reply.Pfns, _view), then);
                break;
            case IServiceAnswer when _serviceWaits.Remove(payload.GetType(), out var answered):
                Now = Math.Max(Now, key.Time);
                answered(payload);
                break;
            case PcpDrainWork work:
                ServeDrain(key.Time, work);
                break;
            case PcpDrained drained:
                Now = Math.Max(Now, key.Time);
                Drained(drained);
                break;
            case TlbShootdownAck:
                Now = Math.Max(Now, key.Time);
                if (--_acksAwaited == 0)
                {
                    var done = _ackContinuation!;
                    _ackContinuation = null;
                    done();
                }
                break;
            default:
                if (TryInterrupt(key.Time, payload))
                {
                    break;
                }
                if (Busy)
                {
                    _deferred.Enqueue((key.Time, payload));
                    return;
                }
                Now = Math.Max(Now, key.Time);
                CatchUpVmstat();
                Do(payload);
                break;
        }
        while (!Busy && _deferred.Count > 0)
        {
            var (time, work) = _deferred.Dequeue();
            Now = Math.Max(Now, time);
            CatchUpVmstat();
            Do(work);
        }
        Settled();
    }

    /// <summary>After each event: what waited for this CPU to stop waiting (or to park its allocation at out_of_memory) may run now.</summary>
    protected virtual void Settled()
    {
    }

    /// <summary>Keeps the first errors (a storm of warnings would otherwise grow without bound), and shows each to a listening test.</summary>
    protected void AddError(SimError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Observed)
        {
            Observe(new KernelReported(error.SimulatedNs, error.Cpu, error.Kind, error.Message, error.Cache));
        }
        if (_errors.Count < _maxErrors)
        {
            _errors.Add(error);
        }
    }
}
