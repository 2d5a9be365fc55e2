namespace NumaSim.Model.Stats;

/// <summary>
/// The node_stat_item changes one component makes, per node (the kernel's per-CPU vm_node_stat_diff), folded over
/// components when the machine's state is taken.
/// </summary>
public sealed class NodeStatDeltas(int nodes)
{
    private static readonly int Items = Counters<NodeStatItem>.Count;
    private readonly long[] _deltas = new long[nodes * Items];

    public void Add(int node, NodeStatItem item, long delta) => _deltas[node * Items + (int)item] += delta;

    public long Get(int node, NodeStatItem item) => _deltas[node * Items + (int)item];

    /// <summary>The deltas by node id.</summary>
    public IReadOnlyList<Counters<NodeStatItem>> Snapshot() =>
        [.. Enumerable.Range(0, nodes).Select(n => new Counters<NodeStatItem>(_deltas[(n * Items)..((n + 1) * Items)]))];

    /// <summary>Per-node sums of every component's deltas, by node id.</summary>
    public static IReadOnlyList<Counters<NodeStatItem>> Sum(int nodes, IEnumerable<IReadOnlyList<Counters<NodeStatItem>>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sums = new long[nodes][];
        for (var n = 0; n < nodes; n++)
        {
            sums[n] = new long[Items];
        }
        foreach (var part in parts)
        {
            for (var n = 0; n < part.Count; n++)
            {
                part[n].AddTo(sums[n]);
            }
        }
        return [.. sums.Select(s => new Counters<NodeStatItem>(s))];
    }
}
