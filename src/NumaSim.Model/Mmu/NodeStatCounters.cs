using NumaSim.Model.Stats;

namespace NumaSim.Model.Mmu;

/// <summary>Per-node vmstat items a CPU changes (page-table and anonymous pages), folded over CPUs at the end.</summary>
public sealed class NodeStatCounters(int nodes)
{
    private readonly NodeStatDeltas _deltas = new(nodes);

    public void PageTable(int node, int delta) => _deltas.Add(node, NodeStatItem.NrPageTablePages, delta);

    public void Anon(int node, int delta) => _deltas.Add(node, NodeStatItem.NrAnonPages, delta);

    /// <summary>Base pages mapped by transparent huge pages (NR_ANON_THPS counts pages, as the kernel does).</summary>
    public void AnonHuge(int node, int delta) => _deltas.Add(node, NodeStatItem.NrAnonTransparentHugepages, delta);

    public IReadOnlyList<Counters<NodeStatItem>> Snapshot() => _deltas.Snapshot();
}
