using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>
/// What numactl's `numastat` prints with no arguments (its compatibility mode, the old perl
/// script's table) on a non-terminal: a 16-wide left-aligned label column, then one 16-wide
/// right-aligned column per node, headed "node&lt;N&gt;", rows in the numastat file's order.
/// </summary>
public static class NumastatToolRenderer
{
    private const int ColumnWidth = 16;

    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var nodes = s.NodeIds().ToList();
        var sb = new StringBuilder();

        sb.Append(new string(' ', ColumnWidth));
        foreach (var node in nodes)
        {
            sb.Append(("node" + node.ToString(inv)).PadLeft(ColumnWidth));
        }
        sb.Append('\n');

        var values = nodes.Select(n => s.NodeOrEmpty(n).Numa.NumaItemValues()).ToList();
        for (var row = 0; row < NodeNumastatRenderer.Keys.Count; row++)
        {
            sb.Append(NodeNumastatRenderer.Keys[row].PadRight(ColumnWidth));
            foreach (var perNode in values)
            {
                sb.Append(perNode[row].ToString(inv).PadLeft(ColumnWidth));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
