using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// Per-node vmstat items a CPU changes (page-table and anonymous pages), and the per-zone LRU items that go with
/// them, folded over CPUs at the end.
/// </summary>
public sealed class NodeStatCounters(int nodes)
{
    private static readonly int ZoneItems = Counters<ZoneStatItem>.Count;
    private readonly NodeStatDeltas _deltas = new(nodes);
    private readonly long[] _zoneDeltas = new long[nodes * ZoneTypes.Count * ZoneItems];

    public void PageTable(int node, int delta) => _deltas.Add(node, NodeStatItem.NrPageTablePages, delta);

    /// <summary>
    /// Anonymous pages mapped or unmapped in a zone (NR_ANON_MAPPED of its node). Each is a folio on the node's LRU, and a folio a fault
    /// maps joins the youngest generation (lru_gen_in_fault), which meminfo counts as Active(anon); with no reclaim
    /// to age the generations in these runs, it stays there until it is unmapped.
    /// </summary>
    public void Anon(int zone, int delta)
    {
        var node = ZoneIndex.Node(zone);
        _deltas.Add(node, NodeStatItem.NrAnonPages, delta);
        _deltas.Add(node, NodeStatItem.NrActiveAnon, delta);
        _zoneDeltas[zone * ZoneItems + (int)ZoneStatItem.NrZoneActiveAnon] += delta;
    }

    /// <summary>Base pages mapped by transparent huge pages (NR_ANON_THPS counts pages, as the kernel does).</summary>
    public void AnonHuge(int node, int delta) => _deltas.Add(node, NodeStatItem.NrAnonTransparentHugepages, delta);

    public IReadOnlyList<Counters<NodeStatItem>> Snapshot() => _deltas.Snapshot();

    /// <summary>The zone_stat_item deltas by zone index (ZoneIndex.Of).</summary>
    public IReadOnlyList<Counters<ZoneStatItem>> ZoneSnapshot() =>
        [.. Enumerable.Range(0, _zoneDeltas.Length / ZoneItems).Select(z => new Counters<ZoneStatItem>(_zoneDeltas[(z * ZoneItems)..((z + 1) * ZoneItems)]))];
}
