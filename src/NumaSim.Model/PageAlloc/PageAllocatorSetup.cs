using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>Everything computed once from the topology and shared read-only by zones and CPUs.</summary>
public sealed class PageAllocatorSetup
{
    private readonly ZoneSetup?[] _zones;

    public PageAllocatorSetup(MachineTopology topology)
    {
        Topology = topology;
        Zonelists = new Zonelists(topology);
        var marks = WatermarkSetup.Compute(topology);
        _zones = new ZoneSetup?[topology.Nodes.Count * ZoneTypes.Count];
        foreach (var node in topology.Nodes)
        {
            foreach (var spec in node.Zones)
            {
                var index = ZoneIndex.Of(node.Id, spec.Type);
                var wm = spec.Watermarks is { } given ? new ZoneWatermarks(given.Min, given.Low, given.High, given.Promo) : marks[index]!;
                var batch = PcpSetup.Batch(spec.Managed, topology.Arch.PageSize);
                var (highMin, highMax) = PcpSetup.HighBounds(spec.Managed, wm.Low, batch, node.Cpus.Count, topology.CpuCount, topology.Vm.PercpuPagelistHighFraction);
                _zones[index] = new ZoneSetup(
                    index,
                    node.Id,
                    spec,
                    wm,
                    WatermarkSetup.LowmemReserve(node, spec.Type, topology.Vm),
                    batch,
                    highMin,
                    highMax,
                    PcpSetup.StatThreshold(spec.Managed, topology.Arch.PageShift, topology.CpuCount));
            }
        }
        Populated = [.. _zones.Where(z => z is not null).Select(z => z!)];
    }

    public MachineTopology Topology { get; }

    public Zonelists Zonelists { get; }

    /// <summary>Populated zones in (node, zone type) order.</summary>
    public IReadOnlyList<ZoneSetup> Populated { get; }

    public int ZoneSlots => _zones.Length;

    public ZoneSetup Zone(int index) => _zones[index] ?? throw new ArgumentOutOfRangeException(nameof(index), index, "zone is not populated");

    public bool IsPopulated(int index) => _zones[index] is not null;

    /// <summary>
    /// /sys/kernel/mm/mempolicy/weighted_interleave/nodeN by node id (iw_table); a node not listed, or all when
    /// empty, weighs 1 (the kernel's default in 6.12).
    /// </summary>
    public IReadOnlyList<int> InterleaveWeights { get; init; } = [];

    public int InterleaveWeight(int node) => node < InterleaveWeights.Count && InterleaveWeights[node] > 0 ? InterleaveWeights[node] : 1;
}
