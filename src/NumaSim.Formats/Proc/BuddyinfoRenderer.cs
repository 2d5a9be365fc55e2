using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Proc;

/// <summary>/proc/buddyinfo (mm/vmstat.c frag_show_print): free blocks per order, populated zones only.</summary>
public static class BuddyinfoRenderer
{
    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        foreach (var node in s.OrderedNodes())
        {
            foreach (var zone in node.OrderedZones())
            {
                sb.Append(inv, $"Node {node.Node}, zone {zone.Type.KernelName(),8} ");
                for (var order = 0; order < s.PageOrders(); order++)
                {
                    sb.Append(inv, $"{zone.FreeBlocksAtOrder(order),6} ");
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }
}
