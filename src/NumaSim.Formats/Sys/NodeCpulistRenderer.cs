using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>/sys/devices/system/node/nodeN/cpulist ("%*pbl\n"): the node's CPUs as a range list, empty for a CPU-less node.</summary>
public static class NodeCpulistRenderer
{
    public static string Render(MachineSnapshot s, int node)
    {
        ArgumentNullException.ThrowIfNull(s);
        return CpuList.Format(s.CpusOf(node)) + "\n";
    }
}
