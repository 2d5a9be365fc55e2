using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>/sys/devices/system/node/nodeN/cpumap ("%*pb\n" over nr_cpu_ids bits): the mask libnuma reads.</summary>
public static class NodeCpumapRenderer
{
    public static string Render(MachineSnapshot s, int node)
    {
        ArgumentNullException.ThrowIfNull(s);
        return CpuMask.Format(s.CpusOf(node), s.Topology.CpuIds) + "\n";
    }
}
