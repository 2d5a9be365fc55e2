namespace NumaSim.Model.Snapshots;

/// <summary>
/// One node's state: its populated zones plus the per-node vmstat items (node_stat_item names such
/// as nr_slab_unreclaimable, nr_page_table_pages) that the model tracks. Items not in NodeStats are 0.
/// </summary>
public sealed record NodeSnapshot(int Node, IReadOnlyList<ZoneSnapshot> Zones, IReadOnlyDictionary<string, long> NodeStats)
{
    public long ManagedPages => Zones.Sum(z => z.Spec.Managed);

    public long FreePages => Zones.Sum(z => z.FreePages);

    public NumaEvents Numa => Zones.Aggregate(NumaEvents.Zero, (acc, z) => acc.Add(z.Numa));

    public long Stat(string name) => NodeStats.TryGetValue(name, out var v) ? v : 0;
}
