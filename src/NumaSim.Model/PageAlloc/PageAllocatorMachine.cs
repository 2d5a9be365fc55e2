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

    public PageAllocatorMachine(MachineTopology topology)
    {
        Setup = new PageAllocatorSetup(topology);
        _zones = new ZonePageAllocator?[Setup.ZoneSlots];
        foreach (var zone in Setup.Populated)
        {
            _zones[zone.Index] = new ZonePageAllocator(zone, topology.Arch);
        }
        _cpus = new CpuPageAllocator[topology.CpuIds];
        foreach (var cpu in topology.AllCpus)
        {
            _cpus[cpu] = new CpuPageAllocator(cpu, Setup);
        }
        _view = zone => _zones[zone]!.View;
    }

    public PageAllocatorSetup Setup { get; }

    public ZonePageAllocator Zone(int index) => _zones[index]!;

    public CpuPageAllocator Cpu(int cpu) => _cpus[cpu];

    public IEnumerable<ZonePageAllocator> Zones => _zones.Where(z => z is not null)!;

    /// <summary>Allocates on behalf of a CPU; returns (pfn, zone) or (-1, -1) when it fails.</summary>
    public (long Pfn, int Zone) Allocate(int cpu, AllocationRequest request)
    {
        var allocator = _cpus[cpu];
        var step = allocator.Begin(request, _view);
        while (step.Kind == AllocationStepKind.AskZone)
        {
            step = allocator.Resume(_zones[step.Zone]!.Serve(step.Request), _view);
        }
        return step.Kind == AllocationStepKind.Allocated ? (step.Pfn, step.Zone) : (-1, -1);
    }

    public bool Free(int cpu, int zone, long pfn, int order, MigrateType type) =>
        _zones[zone]!.Free(_cpus[cpu].Free(zone, pfn, order, type));

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
