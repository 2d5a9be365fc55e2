using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/vmstat (mm/vmstat.c vmstat_start/vmstat_show): zone items summed over zones, NUMA
/// events summed over zones, node items summed over nodes, then the global items (0 here) and the
/// events of MachineSnapshot.VmEvents, then the legacy nr_unstable. Untracked items print 0.
/// </summary>
public static class VmstatRenderer
{
    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        var zones = s.Zones.ToList();

        foreach (var item in Enum.GetValues<ZoneStatItem>())
        {
            Append(sb, VmstatItemNames.Name(item), zones.Sum(z => z.Stat(item)));
        }

        var numa = zones.Aggregate(NumaEvents.Zero, (acc, z) => acc.Add(z.Numa));
        foreach (var item in Enum.GetValues<NumaStatItem>())
        {
            Append(sb, VmstatItemNames.Name(item), numa[item]);
        }

        foreach (var item in Enum.GetValues<NodeStatItem>())
        {
            Append(sb, VmstatItemNames.Name(item), s.PrintedNodeItem(s.Nodes.Sum(n => n.Stat(item)), item));
        }

        foreach (var name in VmstatItemNames.GlobalItems)
        {
            Append(sb, name, 0);
        }

        foreach (var item in Enum.GetValues<VmEventItem>())
        {
            Append(sb, VmstatItemNames.Name(item), s.Event(item));
        }

        Append(sb, VmstatItemNames.LegacyZeroItem, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
}
