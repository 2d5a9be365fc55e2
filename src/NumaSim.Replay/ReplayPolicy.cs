using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;

namespace NumaSim.Replay;

/// <summary>
/// `numasim replay --policy`: local (the default), interleave (over every node), or any policy a scenario
/// takes: default, bind:NODES, preferred:NODE, interleave:NODES.
/// </summary>
public static class ReplayPolicy
{
    public static MemPolicy Parse(string text, MachineTopology topology, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(topology);
        if (text.Trim().Equals("interleave", StringComparison.OrdinalIgnoreCase))
        {
            problem = null;
            return new MemPolicy(MemPolicyMode.Interleave, [.. topology.Nodes.Select(n => n.Id)]);
        }
        return ScenarioLoader.ParsePolicy(text, topology, out problem);
    }
}
