using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>/sys/devices/system/node/nodeN/numastat (drivers/base/node.c node_read_numastat): the node's zones summed.</summary>
public static class NodeNumastatRenderer
{
    /// <summary>The file's keys, in order; numa_interleave is called interleave_hit here.</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"];

    public static string Render(MachineSnapshot s, int node)
    {
        ArgumentNullException.ThrowIfNull(s);
        var values = s.NodeOrEmpty(node).Numa.NumaItemValues();
        var sb = new StringBuilder();
        for (var i = 0; i < Keys.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Keys[i]} {values[i]}\n");
        }
        return sb.ToString();
    }
}
