using NumaSim.Model.Stats;

namespace NumaSim.Model.Snapshots;

/// <summary>One node's state: its populated zones plus its node_stat_item counters (nr_slab_unreclaimable, nr_page_table_pages, ...).</summary>
public sealed record NodeSnapshot(int Node, IReadOnlyList<ZoneSnapshot> Zones, Counters<NodeStatItem> NodeStats)
{
    public long ManagedPages => Zones.Sum(z => z.Spec.Managed);

    public long FreePages => Zones.Sum(z => z.FreePages);

    public NumaEvents Numa => Zones.Aggregate(NumaEvents.Zero, (acc, z) => acc.Add(z.Numa));

    public long Stat(NodeStatItem item) => NodeStats[item];
}
