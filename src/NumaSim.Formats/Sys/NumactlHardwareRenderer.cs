using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>
/// What Debian's `numactl --hardware` (numactl.c hardware() and print_distances()) prints when
/// it reads the rendered sysfs tree: sizes come from the node meminfo files (kB >> 10 = MB).
/// </summary>
public static class NumactlHardwareRenderer
{
    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var nodes = s.NodeIds().ToList();
        var sb = new StringBuilder();
        sb.Append(inv, $"available: {nodes.Count} nodes ({NodeList(nodes)})\n");

        foreach (var node in nodes)
        {
            var n = s.NodeOrEmpty(node);
            sb.Append(inv, $"node {node} cpus:");
            foreach (var cpu in s.CpusOf(node).Order())
            {
                sb.Append(inv, $" {cpu}");
            }
            sb.Append('\n');
            sb.Append(inv, $"node {node} size: {s.PagesToKb(n.ManagedPages) / 1024} MB\n");
            sb.Append(inv, $"node {node} free: {s.PagesToKb(n.FreePages) / 1024} MB\n");
        }

        sb.Append("node distances:\n");
        sb.Append("node ");
        foreach (var node in nodes)
        {
            sb.Append(Field(node));
        }
        sb.Append('\n');
        foreach (var from in nodes)
        {
            sb.Append(inv, $"{Field(from)[..^1]}: ");
            foreach (var to in nodes)
            {
                sb.Append(Field(s.Topology.DistanceBetween(from, to)));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>printf("% 3d ", n): a space for the sign, the whole at least 3 wide, then a space.</summary>
    private static string Field(int n) =>
        (n < 0 ? n.ToString(CultureInfo.InvariantCulture) : " " + n.ToString(CultureInfo.InvariantCulture)).PadLeft(3) + " ";

    /// <summary>
    /// hardware()'s own range printing: "0", "0-3", "0-1,3", "0,2". It is not %*pbl: a run is
    /// closed only when a gap or the highest node is reached, which gives the same text for
    /// the sorted node lists the simulator has.
    /// </summary>
    private static string NodeList(List<int> nodes)
    {
        var sb = new StringBuilder();
        var prev = -1;
        var skip = false;
        var maxNode = nodes.Count == 0 ? -1 : nodes[^1];
        foreach (var i in nodes)
        {
            if (prev == -1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{i}");
                prev = i;
                continue;
            }
            if (i > prev + 1)
            {
                if (skip)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{prev}");
                    skip = false;
                }
                sb.Append(CultureInfo.InvariantCulture, $",{i}");
                prev = i;
                continue;
            }
            if (!skip)
            {
                sb.Append('-');
                skip = true;
            }
            prev = i;
            if (i == maxNode)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{prev}");
            }
        }
        return sb.ToString();
    }
}
