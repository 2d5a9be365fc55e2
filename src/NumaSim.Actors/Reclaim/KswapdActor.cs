using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Tiering;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// A node's kswapd, and the one owner of the node's lruvec: the page cache puts its pages on the lists here, reads
/// mark them accessed, CPUs put the anonymous folios their faults map (KswapdActor.Anon.cs), kswapd balances the node when an allocation wakes it, and CPUs' direct reclaim and node_reclaim
/// run here on their behalf (the lruvec's lock, as it were, is this actor). The procedures are the model's
/// (<see cref="Kswapd"/>, <see cref="DirectReclaim"/>, <see cref="NodeReclaim"/>); this actor prices them by the
/// pages they scan, sends what they free to the zones as it goes and tells the page cache what left it.
/// </summary>
public sealed partial class KswapdActor : SimComponentActor
{
    private readonly int _node;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly int _zoneReclaimMode;
    private readonly Lruvec _lruvec;
    private readonly ReclaimNode _reclaim;
    private readonly Kswapd _kswapd;
    private readonly IReadOnlyList<ZoneSetup> _zones;

    // How many times its CPU time kswapd's work takes: 2 where it shares its node's one CPU with a task (KswapdCpu).
    private readonly long _cpuShare;

    // kswapd's own time line, and where it stands: asleep, running (a KswapdRun is due) or napping after a balance.
    private long _kswapdNow;
    private KswapdPhase _phase = KswapdPhase.Sleeping;
    private long _nap;
    private int _balancedFor;

    public KswapdActor(int node, PageAllocatorSetup setup, LatencyModel latency, int swappiness, int zoneReclaimMode, bool demotionEnabled, bool memoryTiering, bool quantumWindows,
        bool sharesCpu = false)
        : base(ComponentIds.Kswapd(node), quantumWindows)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _node = node;
        _cpuShare = sharesCpu ? 2 : 1;
        _topology = setup.Topology;
        _latency = latency;
        _zoneReclaimMode = zoneReclaimMode;
        _zones = [.. setup.Populated.Where(z => z.Node == node)];
        // node_demotion[node] as the boot's memory tiers leave it (mm/memory-tiers.c).
        var demotion = demotionEnabled ? NodeDemotion.For(MemoryTiers.Establish(setup.Topology), node, true) : null;
        _lruvec = new Lruvec(node) { Demotion = demotion };
        _setup = setup;
        _promised = new long[setup.ZoneSlots];
        _freedSent = new long[setup.ZoneSlots];
        _toFree = [.. Enumerable.Range(0, setup.ZoneSlots).Select(_ => new List<long>())];
        _boostRaised = new long[setup.ZoneSlots];
        _boostCleared = new long[setup.ZoneSlots];
        _swaps = setup.Topology.SwapBytes > 0;
        _rmap = _swaps || demotion is not null;
        _swapFree = SwapSpace.PagesFor(setup.Topology.SwapBytes, setup.Topology.Arch.PageSize);
        _reclaim = new ReclaimNode(node, _lruvec, _zones, OwnView, new Host(this))
        {
            Swappiness = swappiness,
            MemoryTiering = memoryTiering,
            FreeSwapPages = () => _swapFree,
            SetReclaimActive = TellReclaimActive,
            ClearWatermarkBoost = TellBoostCleared,
        };
        _kswapd = new Kswapd(_reclaim);
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(CollectState());

    public static Props Props(int node, PageAllocatorSetup setup, LatencyModel latency, int swappiness, int zoneReclaimMode, bool demotionEnabled, bool memoryTiering, bool quantumWindows,
        bool sharesCpu = false) =>
        Akka.Actor.Props.Create(() => new KswapdActor(node, setup, latency, swappiness, zoneReclaimMode, demotionEnabled, memoryTiering, quantumWindows, sharesCpu));

    private enum KswapdPhase
    {
        Sleeping,
        Running,
        Napping,
    }

    // Only a machine that swaps has kswapd split a huge folio on an LRU addition, and ask a CPU (KswapdActor.Anon.cs).
    protected override bool IgnoresBookkeeping => !_swaps;

    // Demotions in flight keep the run going: the CPU that remaps them may have no work of its own left.
    protected override bool WorkloadFinished => QueuedFromOthers == 0 && _demoting.Count == 0 && _splitting.Count == 0;

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        if (HandleAnon(key.Time, payload) || HandleDemotion(key.Time, payload))
        {
            return;
        }
        switch (payload)
        {
            case LruAddFile add:
                for (var i = 0; i < add.Pfns.Length; i++)
                {
                    _lruvec.Add(add.Pfns[i], (int)ZoneIndex.Type(ZoneOf(add.Pfns[i])), LruType.File, 0, LruAdd.Cold);
                    if (add.Shadows[i] >= 0)
                    {
                        _lruvec.Refault(add.Pfns[i], add.Shadows[i]);
                    }
                }
                break;
            case LruMarkAccessed accessed:
                foreach (var pfn in accessed.Pfns)
                {
                    if (_lruvec.Contains(pfn))
                    {
                        _lruvec.MarkAccessed(pfn);
                    }
                }
                break;
            case KswapdWake wake:
                NoteBoost(wake);
                Wake(key.Time, wake);
                break;
            case KswapdRun:
                Run(key.Time);
                break;
            case KswapdNapEnd end when _phase == KswapdPhase.Napping && end.Nap == _nap:
                AfterNap(key.Time, end.Woken);
                break;
            case ReclaimRequest request:
                Reclaim(key.Time, request);
                break;
        }
    }

    /// <summary>wakeup_kswapd: a sleeping or napping kswapd that has work runs (a napping one ends its nap early).</summary>
    private void Wake(long time, KswapdWake wake)
    {
        if (!_kswapd.Wake(wake.Order, wake.HighestZoneIdx))
        {
            return;
        }
        if (_phase == KswapdPhase.Napping)
        {
            Schedule(time, new KswapdNapEnd(_nap, true));
            return;
        }
        _phase = KswapdPhase.Running;
        Schedule(Math.Max(time, _kswapdNow), KswapdRun.Instance);
    }

    /// <summary>balance_pgdat, its work priced by the pages scanned, then the nap or another run.</summary>
    private void Run(long time)
    {
        _kswapdNow = Math.Max(time, _kswapdNow);
        BeginWork(_kswapdNow);
        _reclaimer = Reclaimer.Kswapd;
        _balancedFor = _kswapd.Balance();
        _kswapdNow = EndWork();
        if (_kswapd.AfterBalance(_balancedFor) == KswapdNext.Nap)
        {
            _phase = KswapdPhase.Napping;
            Schedule(_kswapdNow + Kswapd.NapNs, new KswapdNapEnd(++_nap, false));
            return;
        }
        Schedule(_kswapdNow, KswapdRun.Instance);
    }

    private void AfterNap(long time, bool woken)
    {
        _kswapdNow = Math.Max(time, _kswapdNow);
        _nap++;
        if (_kswapd.AfterNap(_balancedFor, woken))
        {
            _phase = KswapdPhase.Sleeping;
            return;
        }
        _phase = KswapdPhase.Running;
        Schedule(_kswapdNow, KswapdRun.Instance);
    }

    /// <summary>Direct reclaim or node_reclaim for a CPU's allocation, on the CPU's time: it waits for the answer.</summary>
    private void Reclaim(long time, ReclaimRequest request)
    {
        BeginWork(time);
        _reclaimer = Reclaimer.Direct;
        long reclaimed;
        if (request.Kind == ReclaimKind.Direct)
        {
            reclaimed = DirectReclaim.TryToFreePages([_reclaim], request.Order, request.HighestZoneIdx, request.MayIo, request.Target);
        }
        else
        {
            var before = _reclaim.Stat.Events[VmEventItem.PgstealDirect];
            NodeReclaim.Run(_reclaim, _zoneReclaimMode, request.Order, request.HighestZoneIdx, true,
                _topology.Nodes[_node].Cpus.Count > 0, _topology.NodeOfCpu(request.Cpu));
            reclaimed = _reclaim.Stat.Events[VmEventItem.PgstealDirect] - before;
        }
        var freed = FreedThisWork();
        var done = EndWork();
        var reclaimable = Enumerable.Repeat(-1L, _freedSent.Length).ToArray();
        foreach (var zone in _zones)
        {
            reclaimable[zone.Index] = _reclaim.ZoneReclaimable((int)zone.Spec.Type);
        }
        var distance = _topology.DistanceBetween(_node, _topology.NodeOfCpu(request.Cpu));
        Outbox.Send(request.ReplyTo, done + _latency.ZoneMessage(distance), NotBefore, new ReclaimReply(reclaimed, freed, reclaimable));
    }

    private int ZoneOf(long pfn)
    {
        foreach (var zone in _zones)
        {
            if (pfn >= zone.Spec.StartPfn && pfn < zone.Spec.EndPfn)
            {
                return zone.Index;
            }
        }
        throw new InvalidOperationException($"pfn {pfn} is not in node {_node}");
    }

    private ReclaimState CollectState()
    {
        var deltas = new NodeStatDeltas(_topology.Nodes.Count);
        _lruvec.AddNodeStats(deltas);
        deltas.Add(_node, NodeStatItem.NrFilePages, _lruvec.Size(LruList.InactiveFile) + _lruvec.Size(LruList.ActiveFile));
        var zoneStats = new Counters<ZoneStatItem>[_freedSent.Length];
        for (var z = 0; z < zoneStats.Length; z++)
        {
            zoneStats[z] = Counters<ZoneStatItem>.Zero;
        }
        foreach (var zone in _zones)
        {
            var type = (int)zone.Spec.Type;
            zoneStats[zone.Index] = Counters<ZoneStatItem>.Of(
            [
                new(ZoneStatItem.NrZoneInactiveAnon, _lruvec.Size(LruList.InactiveAnon, type)),
                new(ZoneStatItem.NrZoneActiveAnon, _lruvec.Size(LruList.ActiveAnon, type)),
                new(ZoneStatItem.NrZoneInactiveFile, _lruvec.Size(LruList.InactiveFile, type)),
                new(ZoneStatItem.NrZoneActiveFile, _lruvec.Size(LruList.ActiveFile, type)),
            ]);
        }
        return new ReclaimState(ComponentId, _reclaim.Stat.Events.Snapshot(), deltas.Snapshot(), zoneStats);
    }
}
