using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// Per-node vmstat items a CPU changes (page-table and anonymous pages, promotions), folded over CPUs at the end; the LRU
/// items are the lruvec owners' (no zone item is a CPU's).
/// </summary>
public sealed class NodeStatCounters(int nodes)
{
    private readonly NodeStatDeltas _deltas = new(nodes);

    public void PageTable(int node, int delta) => _deltas.Add(node, NodeStatItem.NrPageTablePages, delta);

    /// <summary>
    /// Anonymous pages mapped or unmapped in a zone (NR_ANON_MAPPED of its node). Each is a folio on its node's
    /// LRU, whose owner counts it as Active(anon) or Inactive(anon) by its generation.
    /// </summary>
    public void Anon(int zone, int delta) => _deltas.Add(ZoneIndex.Node(zone), NodeStatItem.NrAnonPages, delta);

    /// <summary>Base pages mapped by transparent huge pages (NR_ANON_THPS counts pages, as the kernel does).</summary>
    public void AnonHuge(int node, int delta) => _deltas.Add(node, NodeStatItem.NrAnonTransparentHugepages, delta);

    /// <summary>NUMA balancing's promotion counters of the target node (pgpromote_success, pgpromote_candidate, pgpromote_candidate_nrl).</summary>
    public void Promotion(int node, NodeStatItem item, int pages)
    {
        if (item is not (NodeStatItem.PgpromoteSuccess or NodeStatItem.PgpromoteCandidate or NodeStatItem.PgpromoteCandidateNrl))
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, "not a promotion counter");
        }
        _deltas.Add(node, item, pages);
    }

    public IReadOnlyList<Counters<NodeStatItem>> Snapshot() => _deltas.Snapshot();

    /// <summary>One item's change on one node, without a snapshot of them all.</summary>
    public long Get(int node, NodeStatItem item) => _deltas.Get(node, item);

    /// <summary>The zone_stat_item deltas by zone index (ZoneIndex.Of).</summary>
    public IReadOnlyList<Counters<ZoneStatItem>> ZoneSnapshot() =>
        [.. Enumerable.Repeat(Counters<ZoneStatItem>.Zero, nodes * ZoneTypes.Count)];
}
