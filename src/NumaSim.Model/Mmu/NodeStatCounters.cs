using NumaSim.Model.Stats;

namespace NumaSim.Model.Mmu;

/// <summary>Per-node vmstat items a CPU changes (page-table and anonymous pages), folded over CPUs at the end.</summary>
public sealed class NodeStatCounters(int nodes)
{
    private readonly NodeStatDeltas _deltas = new(nodes);

    public void PageTable(int node, int delta) => _deltas.Add(node, NodeStatItem.NrPageTablePages, delta);

    /// <summary>
    /// Anonymous pages mapped or unmapped (NR_ANON_MAPPED). Each is a folio on the node's LRU, and a folio a fault
    /// maps joins the youngest generation (lru_gen_in_fault), which meminfo counts as Active(anon); with no reclaim
    /// to age the generations in these runs, it stays there until it is unmapped.
    /// </summary>
    public void Anon(int node, int delta)
    {
        _deltas.Add(node, NodeStatItem.NrAnonPages, delta);
        _deltas.Add(node, NodeStatItem.NrActiveAnon, delta);
    }

    /// <summary>Base pages mapped by transparent huge pages (NR_ANON_THPS counts pages, as the kernel does).</summary>
    public void AnonHuge(int node, int delta) => _deltas.Add(node, NodeStatItem.NrAnonTransparentHugepages, delta);

    public IReadOnlyList<Counters<NodeStatItem>> Snapshot() => _deltas.Snapshot();
}
