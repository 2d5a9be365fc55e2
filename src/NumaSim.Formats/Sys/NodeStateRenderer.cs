using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Sys;

/// <summary>/sys/devices/system/node/{possible,online,has_cpu,has_memory,has_normal_memory} (drivers/base/node.c print_nodes_state: "%*pbl\n").</summary>
public static class NodeStateRenderer
{
    public static readonly IReadOnlyList<NodeState> All =
        [NodeState.Possible, NodeState.Online, NodeState.HasCpu, NodeState.HasMemory, NodeState.HasNormalMemory];

    public static string FileName(NodeState state) => state switch
    {
        NodeState.Possible => "possible",
        NodeState.Online => "online",
        NodeState.HasCpu => "has_cpu",
        NodeState.HasMemory => "has_memory",
        NodeState.HasNormalMemory => "has_normal_memory",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Render(MachineSnapshot s, NodeState state)
    {
        ArgumentNullException.ThrowIfNull(s);
        var nodes = s.Topology.Nodes.Where(n => state switch
        {
            NodeState.Possible or NodeState.Online => true,
            NodeState.HasCpu => n.Cpus.Count > 0,
            NodeState.HasMemory => n.Zones.Any(z => z.Present > 0),
            // check_for_memory() in mm/mm_init.c: a populated zone below ZONE_MOVABLE whose index is
            // <= ZONE_NORMAL sets N_NORMAL_MEMORY (without HIGHMEM that is every zone below Movable).
            NodeState.HasNormalMemory => n.Zones.Any(z => z.Present > 0 && z.Type <= ZoneType.Normal),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
        });
        return CpuList.Format(nodes.Select(n => n.Id)) + "\n";
    }
}
