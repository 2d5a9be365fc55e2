using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/vmstat (mm/vmstat.c vmstat_start/vmstat_show): zone items summed over zones, NUMA
/// events summed over zones, node items summed over nodes, then the global items and events
/// from MachineSnapshot.VmEvents, then the legacy nr_unstable. Untracked items print 0.
/// </summary>
public static class VmstatRenderer
{
    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        var zones = s.Zones.ToList();

        foreach (var name in VmstatItemNames.ZoneItems)
        {
            Append(sb, name, zones.Sum(z => z.ZoneItem(name)));
        }

        var numa = zones.Aggregate(NumaEvents.Zero, (acc, z) => acc.Add(z.Numa)).NumaItemValues();
        for (var i = 0; i < VmstatItemNames.NumaItems.Count; i++)
        {
            Append(sb, VmstatItemNames.NumaItems[i], numa[i]);
        }

        foreach (var name in VmstatItemNames.NodeItems)
        {
            Append(sb, name, s.PrintedNodeItem(s.Nodes.Sum(n => n.Stat(name)), name));
        }

        foreach (var name in VmstatItemNames.GlobalItems.Concat(VmstatItemNames.EventItems))
        {
            Append(sb, name, s.Event(name));
        }

        Append(sb, VmstatItemNames.LegacyZeroItem, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
}
