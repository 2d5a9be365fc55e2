using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// build_zonelists: per node, the nodes ordered by find_next_best_node (distance, a penalty for
/// lower ids and for nodes with CPUs, ties broken by a load that rotates equally distant nodes),
/// each contributing its populated zones from the highest down.
/// </summary>
public sealed class Zonelists
{
    private const int MaxNumNodes = 1024;
    private const int PenaltyForNodeWithCpus = 1;

    private readonly int[][] _nodeOrder;

    public Zonelists(MachineTopology t)
    {
        var load = new int[t.Nodes.Count];
        _nodeOrder = new int[t.Nodes.Count][];
        foreach (var node in t.Nodes)
        {
            var used = new bool[t.Nodes.Count];
            var order = new List<int>();
            var prev = node.Id;
            int next;
            while ((next = FindNextBestNode(t, node.Id, used, load)) >= 0)
            {
                if (t.DistanceBetween(node.Id, next) != t.DistanceBetween(node.Id, prev))
                {
                    load[next]++;
                }
                order.Add(next);
                prev = next;
            }
            _nodeOrder[node.Id] = [.. order];
        }
        Topology = t;
        NodeLoad = load;
        _fallback = [.. t.Nodes.Select(n => BuildZones(_nodeOrder[n.Id]))];
        _thisNode = [.. t.Nodes.Select(n => BuildZones([n.Id]))];
    }

    private readonly int[][] _fallback;
    private readonly int[][] _thisNode;

    public MachineTopology Topology { get; }

    /// <summary>node_load[] as building the zonelists leaves it: later find_next_best_node calls (demotion targets) read it.</summary>
    internal IReadOnlyList<int> NodeLoad { get; }

    public IReadOnlyList<int> NodeOrder(int node) => _nodeOrder[node];

    /// <summary>Zone indices of the node's zonelist, highest zone first within each node.</summary>
    public IReadOnlyList<int> Zones(int node, bool thisNodeOnly) => thisNodeOnly ? _thisNode[node] : _fallback[node];

    private int[] BuildZones(IEnumerable<int> nodes)
    {
        var zones = new List<int>();
        foreach (var n in nodes)
        {
            var spec = Topology.Nodes[n];
            for (var type = ZoneTypes.Count - 1; type >= 0; type--)
            {
                if (spec.Zone((ZoneType)type) is { Managed: > 0 })
                {
                    zones.Add(ZoneIndex.Of(n, (ZoneType)type));
                }
            }
        }
        return [.. zones];
    }

    /// <summary>find_next_best_node: the node itself if unused, else the unused node with memory of least penalised distance.</summary>
    internal static int FindNextBestNode(MachineTopology t, int node, bool[] used, IReadOnlyList<int> load)
    {
        if (!used[node])
        {
            used[node] = true;
            return node;
        }
        var best = -1;
        var minVal = int.MaxValue;
        foreach (var candidate in t.Nodes)
        {
            var n = candidate.Id;
            if (used[n] || candidate.ManagedPages == 0)
            {
                continue;
            }
            var val = t.DistanceBetween(node, n);
            val += n < node ? 1 : 0;
            val += candidate.Cpus.Count > 0 ? PenaltyForNodeWithCpus : 0;
            val = val * MaxNumNodes + load[n];
            if (val < minVal)
            {
                minVal = val;
                best = n;
            }
        }
        if (best >= 0)
        {
            used[best] = true;
        }
        return best;
    }
}
