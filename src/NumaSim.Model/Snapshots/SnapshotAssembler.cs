using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Snapshots;

/// <summary>Folds zone snapshots and per-CPU reports into one machine snapshot, as the kernel folds per-CPU counters.</summary>
public static class SnapshotAssembler
{
    public static MachineSnapshot Assemble(
        MachineTopology topology,
        IEnumerable<ZoneSnapshot> zones,
        IReadOnlyCollection<CpuReport> cpus,
        IReadOnlyList<SlabCacheSnapshot> slabCaches,
        IReadOnlyList<Counters<NodeStatItem>>? nodeStats = null)
    {
        var ordered = cpus.OrderBy(c => c.Cpu).ToList();
        var byNode = zones
            .Select(z => Fold(z, ordered))
            .GroupBy(z => z.Node)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ZoneSnapshot>)[.. g.OrderBy(z => z.Type)]);
        var nodes = topology.Nodes
            .Select(n => new NodeSnapshot(
                n.Id,
                byNode.TryGetValue(n.Id, out var list) ? list : [],
                nodeStats is not null && n.Id < nodeStats.Count ? nodeStats[n.Id] : Counters<NodeStatItem>.Zero))
            .ToList();
        var events = Counters<VmEventItem>.Sum(ordered.Select(c => c.VmEvents));
        return new MachineSnapshot(topology, nodes, events, slabCaches);
    }

    private static ZoneSnapshot Fold(ZoneSnapshot zone, IReadOnlyList<CpuReport> cpus)
    {
        var index = ZoneIndex.Of(zone.Node, zone.Type);
        var numa = NumaEvents.Zero;
        var pagesets = new List<PagesetSnapshot>();
        foreach (var cpu in cpus)
        {
            if (cpu.Numa.TryGetValue(index, out var events))
            {
                numa = numa.Add(events);
            }
            if (cpu.Pagesets.TryGetValue(index, out var pageset))
            {
                pagesets.Add(pageset);
            }
        }
        return zone with { Numa = numa, Pagesets = pagesets };
    }
}
