using System.Globalization;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>/sys/devices/system/node/nodeN/distance (node_read_distance): the node's SLIT row over online nodes.</summary>
public static class NodeDistanceRenderer
{
    public static string Render(MachineSnapshot s, int node)
    {
        ArgumentNullException.ThrowIfNull(s);
        var row = s.NodeIds().Select(to => s.Topology.DistanceBetween(node, to).ToString(CultureInfo.InvariantCulture));
        return string.Join(' ', row) + "\n";
    }
}
