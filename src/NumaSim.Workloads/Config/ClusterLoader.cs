using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Config;

/// <summary>Loads numasim.cluster; a placement must name every node of the machine exactly once.</summary>
public static class ClusterLoader
{
    public static ClusterOptions Load(ConfigNode cluster, MachineTopology topology)
    {
        cluster.OnlyKeys("placement", "join-timeout");
        var joinTimeout = TimeSpan.FromTicks(cluster.Child("join-timeout").Nanoseconds(ClusterOptions.Default.JoinTimeout.Ticks * 100) / 100);
        if (joinTimeout <= TimeSpan.Zero)
        {
            throw cluster.Child("join-timeout").Error("must be positive");
        }
        var placementNode = cluster.Child("placement");
        if (!placementNode.Exists)
        {
            return new ClusterOptions([], joinTimeout);
        }
        var placement = new List<IReadOnlyList<int>>();
        var seen = new HashSet<int>();
        foreach (var process in placementNode.Elements())
        {
            var nodes = new List<int>();
            foreach (var element in process.Elements())
            {
                var node = element.Int(0, topology.Nodes.Count - 1);
                if (!seen.Add(node))
                {
                    throw element.Error($"node {node} is placed twice");
                }
                nodes.Add(node);
            }
            placement.Add(nodes);
        }
        if (placement.Count > 0 && seen.Count != topology.Nodes.Count)
        {
            var missing = topology.Nodes.Select(n => n.Id).Where(id => !seen.Contains(id));
            throw placementNode.Error($"node(s) {string.Join(",", missing)} not placed on any process");
        }
        return new ClusterOptions(placement, joinTimeout);
    }
}
