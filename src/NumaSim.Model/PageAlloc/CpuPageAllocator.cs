using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The CPU's side of __alloc_pages: builds the zonelist for the request's policy and gfp, walks it
/// (fast pass at the low watermark, then the slow pass at min with the gfp's reserves), serves
/// from its own per-CPU lists without asking anyone, and asks a zone only for a refill or a
/// high-order block. One allocation at a time: the CPU waits for the zone's answer.
/// Watermark checks here read a <see cref="ZoneFreeView"/> that may be a window old, as the
/// kernel's own checks read per-CPU-drifted counters; the zone re-checks exactly.
/// </summary>
public sealed partial class CpuPageAllocator
{
    private readonly PageAllocatorSetup _setup;
    private readonly PerCpuPages?[] _pcp;
    // Not readonly: a nested allocation's copy (Nested) gets its own.
    private List<int> _candidates = [];
    private List<(long Pfn, int Order)> _drained = [];

    // ZONE_BELOW_HIGH as this CPU last saw it, per zone slot, and the zone's free pages it last saw: the flag is
    // set by an allocation that finds the zone under its high watermark and cleared by a drain that lifts it back.
    private readonly bool[] _belowHigh;
    private readonly ZoneFreeView[] _lastView;
    private int _interleavePrev = -1;

    private AllocationRequest? _request;
    private int _pass;
    private int _position;
    private int _preferredZone;
    private int _preferredNode;
    private int _interleaveTarget;
    private int _highestZoneIdx;
    private MigrateType _type;

    public CpuPageAllocator(int cpu, PageAllocatorSetup setup)
    {
        Cpu = cpu;
        Node = setup.Topology.NodeOfCpu(cpu);
        _setup = setup;
        _pcp = new PerCpuPages?[setup.ZoneSlots];
        _belowHigh = new bool[setup.ZoneSlots];
        _lastView = new ZoneFreeView[setup.ZoneSlots];
        foreach (var zone in setup.Populated)
        {
            var pcp = _pcp[zone.Index] = new PerCpuPages(zone.PcpBatch, zone.PcpHighMin, zone.PcpHighMax, setup.Topology.Arch.PageblockOrder);
            // zoneinfo does not say which list holds them; what a snapshot's CPUs hold is mostly what the kernel
            // itself freed (page tables, slab, stacks), and measured against the real kernel an anonymous burst
            // uses few of them, so they start on the unmovable list.
            pcp.Seed([.. zone.Spec.InitialPcp(cpu)]);
        }
        Numa = new NumaEventCounters(setup.ZoneSlots);
    }

    public int Cpu { get; }
    public int Node { get; }
    public NumaEventCounters Numa { get; }
    public VmEventCounters Events { get; } = new();

    public PerCpuPages Pcp(int zone) => _pcp[zone] ?? throw new ArgumentOutOfRangeException(nameof(zone));

    /// <summary>Starts an allocation. The step says whether it is done, failed or needs a zone.</summary>
    public AllocationStep Begin(AllocationRequest request, Func<int, ZoneFreeView> view)
    {
        _request = BeginPreferredMany(request);
        _type = request.Gfp.MigrateType();
        _highestZoneIdx = (int)request.Gfp.HighestZone();
        _pass = 0;
        _position = 0;
        BeginSlowpath();
        BuildCandidates(request);
        return Advance(view);
    }

    /// <summary>The zone's answer to the last AskZone step: the granted blocks, none if refused.</summary>
    public AllocationStep Resume(IReadOnlyList<long> granted, Func<int, ZoneFreeView> view)
    {
        var zone = _candidates[_position - 1];
        if (granted.Count == 0)
        {
            return Advance(view);
        }
        var order = _request!.Order;
        var pcp = _pcp[zone]!;
        if (pcp.Allows(order))
        {
            pcp.AddRefill(order, _type, granted);
            pcp.TryTake(order, _type, out var pfn);
            return Complete(pfn, zone);
        }
        return Complete(granted[0], zone);
    }

    /// <summary>
    /// Frees a block to this CPU's list for its zone (or straight to the zone for a large order).
    /// Returns the blocks that must go back to the zone's buddy lists (the list is reused).
    /// </summary>
    public IReadOnlyList<(long Pfn, int Order)> Free(int zone, long pfn, int order, MigrateType type, bool reclaimActive = false)
    {
        _drained.Clear();
        Events.CountFree(order);
        var pcp = _pcp[zone]!;
        if (pcp.Allows(order))
        {
            pcp.Free(pfn, order, type, _drained, _belowHigh[zone], reclaimActive);
            if (_belowHigh[zone] && _drained.Count > 0)
            {
                var setup = _setup.Zone(zone);
                var back = 0L;
                foreach (var (_, blockOrder) in _drained)
                {
                    back += 1L << blockOrder;
                }
                var lifted = new ZoneFreeView(_lastView[zone].FreePages + back, 1, 0, 0);
                _belowHigh[zone] = !WatermarkCheck.Ok(lifted, 0, WatermarkCheck.Mark(setup, _lastView[zone], WatermarkKind.High), setup.LowmemReserve, (int)ZoneType.Movable, default);
            }
        }
        else
        {
            _drained.Add((pfn, order));
        }
        return _drained;
    }

    /// <summary>Every block on this CPU's lists goes back to its zone (drain_all_pages), by zone index.</summary>
    public IReadOnlyDictionary<int, List<(long Pfn, int Order)>> DrainAll()
    {
        var result = new SortedDictionary<int, List<(long Pfn, int Order)>>();
        foreach (var zone in _setup.Populated)
        {
            var blocks = new List<(long Pfn, int Order)>();
            _pcp[zone.Index]!.DrainAll(blocks);
            if (blocks.Count > 0)
            {
                result[zone.Index] = blocks;
            }
        }
        return result;
    }

    /// <summary>
    /// refresh_cpu_vm_stats' pageset work (vmstat_update, every second): each zone's list decays towards high_min
    /// (decay_pcp_high). Returns the blocks that go back to each zone, by zone index, and whether a list has more
    /// to do next second.
    /// </summary>
    public (IReadOnlyDictionary<int, List<(long Pfn, int Order)>> Drained, bool More) DecayPcpHigh()
    {
        var result = new SortedDictionary<int, List<(long Pfn, int Order)>>();
        var more = false;
        foreach (var zone in _setup.Populated)
        {
            var blocks = new List<(long Pfn, int Order)>();
            more |= _pcp[zone.Index]!.Decay(blocks);
            if (blocks.Count > 0)
            {
                result[zone.Index] = blocks;
            }
        }
        return (result, more);
    }

    public CpuReport Report()
    {
        var pagesets = new Dictionary<int, PagesetSnapshot>();
        var numa = new Dictionary<int, NumaEvents>();
        foreach (var zone in _setup.Populated)
        {
            var pcp = _pcp[zone.Index]!;
            pagesets[zone.Index] = new PagesetSnapshot(Cpu, pcp.Count, pcp.High, pcp.Batch, pcp.HighMin, pcp.HighMax);
            numa[zone.Index] = Numa.ForZone(zone.Index);
        }
        return new CpuReport(Cpu, pagesets, numa, Events.Snapshot());
    }

    private AllocationStep Advance(Func<int, ZoneFreeView> view)
    {
        var request = _request!;
        while (_pass < 2)
        {
            var flags = _pass == 0 ? AllocFlagsFor.FastPath(request.Gfp) : AllocFlagsFor.SlowPath(request.Gfp, request.Order);
            while (_position < _candidates.Count)
            {
                var zone = _candidates[_position++];
                var setup = _setup.Zone(zone);
                var free = view(zone);
                _lastView[zone] = free;
                // get_page_from_freelist: above the high watermark the zone is taken at once; below it, the
                // zone is marked ZONE_BELOW_HIGH (per-CPU lists stop growing) and checked at the request's mark.
                var aboveHigh = !_belowHigh[zone]
                    && WatermarkCheck.Ok(free, request.Order, WatermarkCheck.Mark(setup, free, WatermarkKind.High), setup.LowmemReserve, _highestZoneIdx, flags);
                _belowHigh[zone] |= !aboveHigh;
                if (!aboveHigh && !WatermarkCheck.Fast(free, request.Order, setup, _highestZoneIdx, flags))
                {
                    if (ShouldNodeReclaim(zone))
                    {
                        _position--;
                        return NodeReclaimStep(zone);
                    }
                    continue;
                }
                var pcp = _pcp[zone]!;
                if (pcp.Allows(request.Order))
                {
                    if (pcp.TryTake(request.Order, _type, out var pfn))
                    {
                        return Complete(pfn, zone) with { ReserveHighAtomic = (flags & AllocFlags.HighAtomic) != 0 };
                    }
                    return AllocationStep.Ask(new ZoneRequest(zone, request.Order, _type, pcp.RefillCount(request.Order, _belowHigh[zone]), flags, _highestZoneIdx));
                }
                return AllocationStep.Ask(new ZoneRequest(zone, request.Order, _type, 1, flags, _highestZoneIdx));
            }
            _pass++;
            _position = 0;
            if (_pass == 1 && ReclaimSteps && (request.Gfp & Gfp.KswapdReclaim) != 0)
            {
                return WakeKswapds();
            }
        }
        if (_preferredManyAll is not null)
        {
            return PreferredManyFallback(view);
        }
        if (ReclaimSteps)
        {
            return Slowpath(view);
        }
        if (request.Gfp.CanDirectReclaim())
        {
            // Direct reclaim would run here; the model has no reclaimable pages, so it stalls and fails.
            Events.CountAllocStall((ZoneType)_highestZoneIdx);
        }
        _request = null;
        return AllocationStep.Fail;
    }

    private AllocationStep Complete(long pfn, int zone)
    {
        var request = _request!;
        var servedNode = ZoneIndex.Node(zone);
        Numa.CountAllocation(_preferredZone, _preferredNode, zone, servedNode, Node);
        // 6.12 counts the hit for MPOL_INTERLEAVE only (alloc_pages_mpol): weighted interleave leaves interleave_hit alone.
        if (request.Policy.Mode == MemPolicyMode.Interleave && servedNode == _interleaveTarget)
        {
            Numa.CountInterleaveHit(zone);
        }
        Events.CountAlloc(ZoneIndex.Type(zone), request.Order);
        _request = null;
        return AllocationStep.Done(pfn, zone);
    }

    private void BuildCandidates(AllocationRequest request)
    {
        var policy = request.Policy;
        var zonelistNode = request.Nid ?? Node;
        IReadOnlyList<int>? mask = null;
        switch (policy.Mode)
        {
            case MemPolicyMode.Preferred:
                zonelistNode = policy.Nodes[0];
                break;
            case MemPolicyMode.Bind:
                mask = policy.Nodes;
                break;
            case MemPolicyMode.Interleave:
                _interleaveTarget = request.InterleaveIndex is { } offset
                    ? policy.Nodes[(int)(offset % policy.Nodes.Count)]
                    : NextInterleaveNode(policy.Nodes);
                zonelistNode = _interleaveTarget;
                break;
            case MemPolicyMode.WeightedInterleave:
                _interleaveTarget = request.InterleaveIndex is { } index
                    ? WeightedInterleaveNid(policy.Nodes, index)
                    : WeightedInterleaveNodes(policy.Nodes);
                zonelistNode = _interleaveTarget;
                break;
            case MemPolicyMode.PreferredMany:
                mask = _preferredManyAll is null ? null : policy.Nodes;
                break;
        }
        _candidates.Clear();
        var thisNode = (request.Gfp & Gfp.ThisNode) != 0;
        var zonelist = _setup.Zonelists.Zones(zonelistNode, thisNode);
        for (var i = 0; i < zonelist.Count; i++)
        {
            var zone = zonelist[i];
            if ((int)ZoneIndex.Type(zone) <= _highestZoneIdx && (mask is null || mask.Contains(ZoneIndex.Node(zone))))
            {
                _candidates.Add(zone);
            }
        }
        // With no zone to try, numastat still needs a preferred zone; the first allowed slot will do.
        _preferredZone = _candidates.Count > 0 ? _candidates[0] : ZoneIndex.Of(zonelistNode, ZoneType.Normal);
        _preferredNode = ZoneIndex.Node(_preferredZone);
    }

    private int NextInterleaveNode(IReadOnlyList<int> nodes)
    {
        var next = NextNodeIn(nodes, _interleavePrev);
        _interleavePrev = next;
        return next;
    }

    private static int NextNodeIn(IReadOnlyList<int> nodes, int prev) => nodes.FirstOrDefault(n => n > prev, nodes[0]);
}
