using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Swap;

/// <summary>
/// The machine's one swap area and its swap cache (<see cref="SwapSpace"/>), one owner for every node: reclaim on
/// any node writes folios here, faults on any CPU read them back, and the swap cache's folio for a slot is handed to
/// a fault or freed by reclaim here and nowhere else, so no page is both. A node's kswapd asks for a slot and this
/// actor asks the CPU that runs the mapping task to unmap the folio (the reverse map as messages); the answer comes
/// back here, then goes to the kswapd, which frees the folio on a later scan by asking this actor to evict it.
/// A fault on a swap entry runs <see cref="SwapIn"/> here; the folio read joins its node's LRU by message. The
/// procedures are the model's; this actor holds no procedure of its own.
/// </summary>
public sealed class SwapActor : SimComponentActor
{
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly SwapSpace _swap;
    private readonly VmEventCounters _events = new();
    private readonly int _node;

    // Folios in the swap cache that a page table maps: a fault handed them out or reclaim has not unmapped them
    // yet; reclaim may not free them.
    private readonly HashSet<long> _mapped = [];

    // Folios whose unmap is asked of a CPU and not answered yet, with the shadow entry reclaim left when it freed
    // one meanwhile (-1: not freed yet): the page goes back once the unmap is done.
    private readonly Dictionary<long, long> _unmapping = [];

    public SwapActor(Scenario scenario)
        : base(ComponentIds.Swap, scenario.UsesQuantumWindows)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _topology = scenario.Topology;
        _latency = scenario.Latency;
        _node = ComponentIds.NodeOfService(ComponentIds.Swap, _topology);
        _swap = new SwapSpace(SwapSpace.PagesFor(_topology.SwapBytes, _topology.Arch.PageSize), _topology.Nodes.Count);
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(CollectState());

    public static Props Props(Scenario scenario) => Akka.Actor.Props.Create(() => new SwapActor(scenario));

    /// <summary>Whether a scenario's machine has a swap area (only then does a run have this actor).</summary>
    public static bool Needed(Scenario scenario) => scenario.Topology.SwapBytes > 0;

    protected override bool WorkloadFinished => QueuedFromOthers == 0;

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        switch (payload)
        {
            case SwapOutRequest request:
                SwapOut(key.Time, request);
                break;
            case UnmapDone done:
                Unmapped(key.Time, done);
                break;
            case SwapCacheEvict evict:
                Evict(key.Time, evict);
                break;
            case SwapInAsk ask:
                SwapInFault(key.Time, ask);
                break;
            case AnonFreed freed:
                foreach (var pfn in freed.Pfns)
                {
                    if (_swap.SlotOf(pfn) > 0)
                    {
                        _swap.DeleteFromSwapCache(pfn, -1);
                    }
                    _mapped.Remove(pfn);
                }
                break;
            case SwapSlotsFreed slots:
                foreach (var slot in slots.Slots)
                {
                    _swap.SwapFree(slot);
                }
                break;
        }
    }

    // add_to_swap for each folio that holds no slot yet, then try_to_unmap asked of the CPU that runs its task.
    private void SwapOut(long time, SwapOutRequest request)
    {
        for (var i = 0; i < request.Pfns.Length; i++)
        {
            var pfn = request.Pfns[i];
            var slot = request.Slots[i] > 0 && _swap.SlotOf(pfn) == request.Slots[i] ? request.Slots[i] : _swap.SlotOf(pfn);
            if (slot <= 0)
            {
                slot = _swap.AddToSwap(pfn, request.Zones[i]);
            }
            if (slot < 0)
            {
                ToKswapd(request.Node, time, new SwapOutDone(pfn, -1, request.Cpus[i], request.Tasks[i], request.Vpns[i], false, _swap.FreePages));
                continue;
            }
            _mapped.Add(pfn);
            _unmapping[pfn] = -1;
            var cpu = request.Cpus[i];
            Outbox.Send(ComponentIds.Cpu(cpu), time + _latency.SwapWriteNs + Trip(_topology.NodeOfCpu(cpu)), NotBefore,
                new UnmapRequest(request.Tasks[i], request.Vpns[i], pfn, slot, request.Node));
        }
    }

    // The CPU's answer: an unmapped folio's slot is named by the page table now (swap_duplicate) and reclaim may
    // free the folio; one that stayed mapped keeps its slot in the swap cache, as add_to_swap left it.
    private void Unmapped(long time, UnmapDone done)
    {
        _unmapping.Remove(done.Pfn, out var shadow);
        if (done.Unmapped)
        {
            _swap.Duplicate(done.Slot);
            _mapped.Remove(done.Pfn);
            if (shadow >= 0)
            {
                FreeEvicted(time, [done.Pfn], [shadow]);
            }
        }
        ToKswapd(done.Node, time, new SwapOutDone(done.Pfn, _swap.SlotOf(done.Pfn), done.Cpu, done.TaskId, done.Vpn, done.Unmapped, _swap.FreePages));
    }

    // __remove_mapping for written, unmapped folios: out of the swap cache with the shadow entry, the page back to
    // its zone; one whose unmap is not answered yet goes when it is. One a fault mapped again meanwhile stays (its
    // kswapd heard so from SwapInFault), as does one that could not be unmapped (its kswapd hears so from Unmapped).
    private void Evict(long time, SwapCacheEvict evict)
    {
        var pfns = new List<long>();
        var shadows = new List<long>();
        for (var i = 0; i < evict.Pfns.Length; i++)
        {
            if (_unmapping.ContainsKey(evict.Pfns[i]))
            {
                _unmapping[evict.Pfns[i]] = evict.Shadows[i];
            }
            else
            {
                pfns.Add(evict.Pfns[i]);
                shadows.Add(evict.Shadows[i]);
            }
        }
        FreeEvicted(time, pfns, shadows);
    }

    private void FreeEvicted(long time, IReadOnlyList<long> evicted, IReadOnlyList<long> shadows)
    {
        var freed = new SortedDictionary<int, List<long>>();
        for (var i = 0; i < evicted.Count; i++)
        {
            var pfn = evicted[i];
            if (_swap.SlotOf(pfn) <= 0 || _mapped.Contains(pfn))
            {
                continue;
            }
            _swap.DeleteFromSwapCache(pfn, shadows[i]);
            var zone = _topology.ZoneOfPfn(pfn);
            if (!freed.TryGetValue(zone, out var pfns))
            {
                freed[zone] = pfns = [];
            }
            pfns.Add(pfn);
        }
        foreach (var (zone, pfns) in freed)
        {
            Outbox.Send(ComponentIds.Zone(zone), time + Trip(ZoneIndex.Node(zone)), NotBefore, new ReclaimedPages([.. pfns]));
        }
    }

    // do_swap_page's swap half: the swap cache's folio, else the offered page with the slot read into it (the
    // device's read: a file page's read time), else nothing yet.
    private void SwapInFault(long time, SwapInAsk ask)
    {
        var (pfn, zone) = _swap.Lookup(ask.Slot);
        var done = time;
        if (pfn < 0 && ask.Pfn >= 0)
        {
            var shadow = SwapIn.ReadIntoCache(_swap, ask.Slot, ask.Pfn, ask.Zone, _events);
            (pfn, zone) = (ask.Pfn, ask.Zone);
            done += _latency.FileReadNs;
            var left = SwapIn.Mapped(_swap, ask.Slot, pfn, ask.Write);
            Mapped(pfn, left);
            ToKswapd(ZoneIndex.Node(zone), done, new LruAddSwapped(pfn, zone, shadow, ask.Cpu, ask.TaskId, ask.Vpn, left ? -1 : ask.Slot));
        }
        else if (pfn >= 0)
        {
            var left = SwapIn.Mapped(_swap, ask.Slot, pfn, ask.Write);
            Mapped(pfn, left);
            ToKswapd(ZoneIndex.Node(zone), done, new SwapCacheMapped(pfn, ask.Cpu, ask.TaskId, ask.Vpn, left ? -1 : ask.Slot));
        }
        Outbox.Send(ask.ReplyTo, done + Trip(_topology.NodeOfCpu(ask.Cpu)), NotBefore, new SwapInReply(pfn, zone));
    }

    private void Mapped(long pfn, bool leftCache)
    {
        if (leftCache)
        {
            _mapped.Remove(pfn);
        }
        else
        {
            _mapped.Add(pfn);
        }
    }

    private void ToKswapd(int node, long time, ISimPayload payload) =>
        Outbox.Send(ComponentIds.Kswapd(node), time + Trip(node), NotBefore, payload);

    private long Trip(int node) => _latency.ZoneMessage(_topology.DistanceBetween(_node, node));

    private ReclaimState CollectState()
    {
        var deltas = new NodeStatDeltas(_topology.Nodes.Count);
        _swap.AddNodeStats(deltas);
        return new ReclaimState(ComponentId, _events.Snapshot(), deltas.Snapshot(), []) { SwapFreePages = _swap.FreePages };
    }
}
