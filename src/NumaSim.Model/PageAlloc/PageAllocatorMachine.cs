using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The whole page allocator in one thread: every zone and every CPU, with zone answers given at
/// once. It runs the same CPU and zone logic the actors run, for tests, benchmarks and `proc`.
/// </summary>
public sealed class PageAllocatorMachine
{
    private readonly ZonePageAllocator?[] _zones;
    private readonly CpuPageAllocator[] _cpus;
    private readonly Func<int, ZoneFreeView> _view;
    private readonly ISlowpath? _slowpath;

    /// <param name="topology">The machine.</param>
    /// <param name="slowpath">Who answers the slow path's reclaim steps; without one, allocations fail at min.</param>
    /// <param name="zoneReclaimMode">vm.zone_reclaim_mode, with a slow path.</param>
    /// <param name="watermarkBoostFactor">vm.watermark_boost_factor.</param>
    /// <param name="interleaveWeights">/sys/kernel/mm/mempolicy/weighted_interleave/nodeN by node; none: all 1.</param>
    public PageAllocatorMachine(MachineTopology topology, ISlowpath? slowpath = null, int zoneReclaimMode = 0, int watermarkBoostFactor = BuddyZone.DefaultWatermarkBoostFactor,
        IReadOnlyList<int>? interleaveWeights = null)
    {
        _slowpath = slowpath;
        Setup = new PageAllocatorSetup(topology) { InterleaveWeights = interleaveWeights ?? [] };
        _zones = new ZonePageAllocator?[Setup.ZoneSlots];
        foreach (var zone in Setup.Populated)
        {
            _zones[zone.Index] = new ZonePageAllocator(zone, topology.Arch, watermarkBoostFactor);
        }
        _cpus = new CpuPageAllocator[topology.CpuIds];
        foreach (var cpu in topology.AllCpus)
        {
            _cpus[cpu] = new CpuPageAllocator(cpu, Setup) { ReclaimSteps = slowpath is not null, ZoneReclaimMode = zoneReclaimMode };
        }
        _view = zone => _zones[zone]!.View;
    }

    public PageAllocatorSetup Setup { get; }

    public ZonePageAllocator Zone(int index) => _zones[index]!;

    public CpuPageAllocator Cpu(int cpu) => _cpus[cpu];

    public IEnumerable<ZonePageAllocator> Zones => _zones.Where(z => z is not null)!;

    /// <summary>
    /// Allocates on behalf of a CPU; returns (pfn, zone) or (-1, -1) when it fails. <paramref name="nested"/>: the CPU
    /// is inside an allocation of its own (reclaim run from its slow path allocates a demotion target).
    /// </summary>
    public (long Pfn, int Zone) Allocate(int cpu, AllocationRequest request, bool nested = false)
    {
        var allocator = nested ? _cpus[cpu].Nested() : _cpus[cpu];
        var step = allocator.Begin(request, _view);
        while (true)
        {
            switch (step.Kind)
            {
                case AllocationStepKind.AskZone:
                    var zone = _zones[step.Zone]!;
                    var granted = zone.Serve(step.Request);
                    if (zone.TakeBoostedWatermark())
                    {
                        // rmqueue: the fallback boosted the zone; kswapd reclaims for the boost (order 0, this zone).
                        _slowpath?.WakeKswapds([zone.Setup.Node], 0, (int)zone.Setup.Spec.Type);
                    }
                    step = allocator.Resume(granted, _view);
                    break;
                case AllocationStepKind.WakeKswapd:
                    _slowpath!.WakeKswapds(step.Nodes, step.Request.Order, step.Request.HighestZoneIdx);
                    step = allocator.ResumeAfterWake(_view);
                    break;
                case AllocationStepKind.DirectReclaim:
                    var reclaimed = _slowpath!.DirectReclaim(cpu, step.Nodes, request.Gfp, step.Request.Order, step.Request.HighestZoneIdx);
                    step = allocator.ResumeAfterReclaim(reclaimed, _view, _slowpath.Reclaimable);
                    break;
                case AllocationStepKind.DrainAllPages:
                    DrainAllPcp();
                    step = allocator.ResumeAfterDrain(_view, _slowpath!.Reclaimable);
                    break;
                case AllocationStepKind.UnreserveHighAtomic:
                    step = allocator.ResumeAfterUnreserve(UnreserveHighAtomic(step.Zones, step.Force, step.Request.Type));
                    break;
                case AllocationStepKind.NodeReclaim:
                    _slowpath!.NodeReclaim(cpu, step.Nodes[0], request.Gfp, step.Request.Order, step.Request.HighestZoneIdx);
                    step = allocator.ResumeAfterNodeReclaim(_view);
                    break;
                case AllocationStepKind.OutOfMemory:
                    if (!_slowpath!.OutOfMemory(cpu, request))
                    {
                        return (-1, -1);
                    }
                    step = allocator.Begin(request, _view);
                    break;
                case AllocationStepKind.Allocated:
                    if (step.ReserveHighAtomic)
                    {
                        _zones[step.Zone]!.ReserveHighAtomic(step.Pfn, request.Order);
                    }
                    return (step.Pfn, step.Zone);
                default:
                    return (-1, -1);
            }
        }
    }

    /// <summary>A free on a CPU's list, small while the zone's kswapd runs (ZONE_RECLAIM_ACTIVE).</summary>
    public bool Free(int cpu, int zone, long pfn, int order, MigrateType type) =>
        _zones[zone]!.Free(_cpus[cpu].Free(zone, pfn, order, type, _zones[zone]!.ReclaimActive));

    /// <summary>unreserve_highatomic_pageblock over a zonelist: the first zone that gives a pageblock back ends it.</summary>
    public bool UnreserveHighAtomic(IReadOnlyList<int> zones, bool force, MigrateType type) =>
        zones.Any(zone => _zones[zone]!.UnreserveHighAtomic(force, type));

    /// <summary>One second of vmstat_update on every CPU: each list's high decays and what it holds above goes back.</summary>
    public bool DecayPcpHigh()
    {
        var more = false;
        foreach (var cpu in _cpus.Where(c => c is not null))
        {
            var (drained, cpuMore) = cpu.DecayPcpHigh();
            more |= cpuMore;
            foreach (var (zone, blocks) in drained)
            {
                _zones[zone]!.Free(blocks);
            }
        }
        return more;
    }

    /// <summary>Empties every per-CPU list back into the buddy allocator.</summary>
    public void DrainAllPcp()
    {
        foreach (var cpu in _cpus.Where(c => c is not null))
        {
            foreach (var (zone, blocks) in cpu.DrainAll())
            {
                _zones[zone]!.Free(blocks);
            }
        }
    }

    /// <summary>The machine's state; <paramref name="nodeStats"/> adds per-node items (nr_slab_*, ...), by node id.</summary>
    public MachineSnapshot Snapshot(
        IReadOnlyList<SlabCacheSnapshot> slabCaches,
        IReadOnlyList<Counters<NodeStatItem>>? nodeStats = null) =>
        SnapshotAssembler.Assemble(
            Setup.Topology,
            Zones.Select(z => z.Snapshot()),
            [.. _cpus.Where(c => c is not null).Select(c => c.Report())],
            slabCaches,
            nodeStats);
}

/// <summary>What the allocation slow path asks of the rest of the kernel when it reclaims (synchronous form).</summary>
public interface ISlowpath
{
    /// <summary>wake_all_kswapds over the zonelist's nodes.</summary>
    void WakeKswapds(IReadOnlyList<int> nodes, int order, int highestZoneIdx);

    /// <summary>try_to_free_pages on behalf of <paramref name="cpu"/>: returns the pages reclaimed.</summary>
    long DirectReclaim(int cpu, IReadOnlyList<int> nodes, Gfp gfp, int order, int highestZoneIdx);

    /// <summary>zone_reclaimable_pages of a zone.</summary>
    long Reclaimable(int zone);

    /// <summary>node_reclaim of <paramref name="node"/> for an allocation on <paramref name="cpu"/>.</summary>
    void NodeReclaim(int cpu, int node, Gfp gfp, int order, int highestZoneIdx);

    /// <summary>out_of_memory: true when it killed a task (the allocation is retried).</summary>
    bool OutOfMemory(int cpu, AllocationRequest request);
}
