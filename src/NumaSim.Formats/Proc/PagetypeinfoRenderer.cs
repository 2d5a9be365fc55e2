using System.Globalization;
using System.Text;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show). The kernel's seq_file shows one node at a
/// time, so every node with memory repeats the whole block, headers included.
/// </summary>
public static class PagetypeinfoRenderer
{
    /// <summary>pagetypeinfo_showfree_print stops counting a free list here and prints ">100000".</summary>
    public const long FreeCountCap = 100000;

    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var arch = s.Topology.Arch;
        foreach (var node in s.OrderedNodes())
        {
            var zones = node.OrderedZones().ToList();
            if (zones.Count == 0)
            {
                continue; // !node_state(nid, N_MEMORY): the node prints nothing
            }

            sb.Append(inv, $"Page block order: {arch.PageblockOrder}\n");
            sb.Append(inv, $"Pages per block:  {arch.PageblockPages}\n");
            sb.Append('\n');
            AppendFreeCounts(sb, s, node.Node, zones);
            AppendBlockCounts(sb, node.Node, zones);
        }
        return sb.ToString();
    }

    private static void AppendFreeCounts(StringBuilder sb, MachineSnapshot s, int node, List<ZoneSnapshot> zones)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{"Free pages count per migrate type at order",-43} ");
        for (var order = 0; order < s.PageOrders(); order++)
        {
            sb.Append(inv, $"{order,6} ");
        }
        sb.Append('\n');

        foreach (var zone in zones)
        {
            for (var type = 0; type < MigrateTypes.Count; type++)
            {
                sb.Append(inv, $"Node {node,4}, zone {zone.Type.KernelName(),8}, type {((MigrateType)type).KernelName(),12} ");
                for (var order = 0; order < s.PageOrders(); order++)
                {
                    var count = type < zone.FreeBlocks.Length ? zone.FreeBlocks[type][order] : 0;
                    sb.Append(count >= FreeCountCap
                        ? string.Create(inv, $">{FreeCountCap,6} ")
                        : string.Create(inv, $"{count,6} "));
                }
                sb.Append('\n');
            }
        }
    }

    private static void AppendBlockCounts(StringBuilder sb, int node, List<ZoneSnapshot> zones)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"\n{"Number of blocks type ",-23}");
        for (var type = 0; type < MigrateTypes.Count; type++)
        {
            sb.Append(inv, $"{((MigrateType)type).KernelName(),12} ");
        }
        sb.Append('\n');

        foreach (var zone in zones)
        {
            sb.Append(inv, $"Node {node}, zone {zone.Type.KernelName(),8} ");
            for (var type = 0; type < MigrateTypes.Count; type++)
            {
                var blocks = type < zone.PageblocksByType.Count ? zone.PageblocksByType[type] : 0;
                sb.Append(inv, $"{blocks,12} ");
            }
            sb.Append('\n');
        }
    }
}
