using NumaSim.Model.Topology;

namespace NumaSim.Workloads.Config;

/// <summary>
/// Nodes by name, as `cpus` ("node:N"), memory policies ("interleave:all") and kmalloc_node's `node` take them: a
/// nodelist ("0-1", each node of which must exist), "all" or "*" (every node), or "last" (the highest node id, which
/// is node 0 on a one-node machine), or a comma list of these.
/// </summary>
public static class NodeSelector
{
    /// <summary>The node ids <paramref name="text"/> names, in order; empty with <paramref name="problem"/> set when it is wrong here.</summary>
    public static IReadOnlyList<int> Nodes(string text, MachineTopology topology, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(topology);
        var nodes = new SortedSet<int>();
        problem = null;
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (item is "all" or "*")
            {
                nodes.UnionWith(Enumerable.Range(0, topology.Nodes.Count));
            }
            else if (item == "last")
            {
                nodes.Add(topology.Nodes.Count - 1);
            }
            else if (item.Length == 0 || !CpuList.TryParse(item, out var ids))
            {
                problem = $"expected a nodelist such as \"0-1\", \"all\", \"*\" or \"last\"; found \"{item}\"";
                return [];
            }
            else if (ids.FirstOrDefault(n => n >= topology.Nodes.Count, -1) is var missing and >= 0)
            {
                problem = $"node {missing} is not in the topology (nodes {CpuList.Format(Enumerable.Range(0, topology.Nodes.Count))}); \"all\", \"*\" or \"last\" fit any machine";
                return [];
            }
            else
            {
                nodes.UnionWith(ids);
            }
        }
        return [.. nodes];
    }
}
