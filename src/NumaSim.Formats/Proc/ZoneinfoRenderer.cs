using System.Globalization;
using System.Text;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print). Every zone type of every node appears;
/// an unpopulated zone stops after its protection line, as the kernel's does.
/// </summary>
public static class ZoneinfoRenderer
{
    /// <summary>
    /// SWAP_CLUSTER_MAX: __setup_per_zone_wmarks clamps ZONE_MOVABLE's min watermark to at least
    /// this, even when the zone is empty, so an unpopulated Movable zone shows min/low/high/promo 32.
    /// </summary>
    internal const long MovableMinWatermark = 32;

    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        foreach (var node in s.OrderedNodes())
        {
            var firstPopulated = node.OrderedZones().FirstOrDefault()?.Type;
            foreach (var type in ZoneTypes.All)
            {
                var zone = node.ZoneOrNull(type);
                sb.Append(CultureInfo.InvariantCulture, $"Node {node.Node}, zone {type.KernelName(),8}");
                if (type == firstPopulated)
                {
                    AppendNodeStats(sb, s, node);
                }
                if (zone is null)
                {
                    AppendUnpopulated(sb, type);
                }
                else
                {
                    AppendPopulated(sb, s, zone);
                }
            }
        }
        return sb.ToString();
    }

    private static void AppendNodeStats(StringBuilder sb, MachineSnapshot s, NodeSnapshot node)
    {
        sb.Append("\n  per-node stats");
        foreach (var item in Enum.GetValues<NodeStatItem>())
        {
            AppendItem(sb, VmstatItemNames.Name(item), s.PrintedNodeItem(node.Stat(item), item));
        }
    }

    private static void AppendUnpopulated(StringBuilder sb, ZoneType type)
    {
        var min = type == ZoneType.Movable ? MovableMinWatermark : 0;
        AppendHeader(sb, new ZoneWatermarks(min, min, min, min), new ZoneSpec(type, 0, 0, 0, 0), 0, []);
        sb.Append('\n');
    }

    private static void AppendPopulated(StringBuilder sb, MachineSnapshot s, ZoneSnapshot zone)
    {
        var inv = CultureInfo.InvariantCulture;
        AppendHeader(sb, zone.Watermarks, zone.Spec, zone.FreePages, zone.LowmemReserve);
        foreach (var item in Enum.GetValues<ZoneStatItem>())
        {
            AppendItem(sb, VmstatItemNames.Name(item), zone.Stat(item));
        }
        foreach (var item in Enum.GetValues<NumaStatItem>())
        {
            AppendItem(sb, VmstatItemNames.Name(item), zone.Numa[item]);
        }

        // for_each_online_cpu: every CPU of the machine has a pageset on every zone.
        sb.Append("\n  pagesets");
        foreach (var cpu in s.Topology.AllCpus)
        {
            var pcp = zone.Pagesets.FirstOrDefault(p => p.Cpu == cpu) ?? new PagesetSnapshot(cpu, 0, 0, 0, 0, 0);
            sb.Append(inv, $"\n    cpu: {cpu}");
            sb.Append(inv, $"\n              count:    {pcp.Count}");
            sb.Append(inv, $"\n              high:     {pcp.High}");
            sb.Append(inv, $"\n              batch:    {pcp.Batch}");
            sb.Append(inv, $"\n              high_min: {pcp.HighMin}");
            sb.Append(inv, $"\n              high_max: {pcp.HighMax}");
            sb.Append(inv, $"\n  vm stats threshold: {zone.StatThreshold}");
        }

        // node_unreclaimable: kswapd never gives up on a simulated node.
        sb.Append("\n  node_unreclaimable:  0");
        sb.Append(inv, $"\n  start_pfn:           {zone.Spec.StartPfn}");
        sb.Append('\n');
    }

    private static void AppendHeader(
        StringBuilder sb, ZoneWatermarks marks, ZoneSpec spec, long freePages, IReadOnlyList<long> lowmemReserve)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"\n  pages free     {freePages}");
        sb.Append(inv, $"\n        boost    {marks.Boost}");
        sb.Append(inv, $"\n        min      {marks.Get(WatermarkKind.Min)}");
        sb.Append(inv, $"\n        low      {marks.Get(WatermarkKind.Low)}");
        sb.Append(inv, $"\n        high     {marks.Get(WatermarkKind.High)}");
        sb.Append(inv, $"\n        promo    {marks.Get(WatermarkKind.Promo)}");
        sb.Append(inv, $"\n        spanned  {spec.Spanned}");
        sb.Append(inv, $"\n        present  {spec.Present}");
        sb.Append(inv, $"\n        managed  {spec.Managed}");
        sb.Append("\n        cma      0");

        // lowmem_reserve[] has one slot per zone type (MAX_NR_ZONES), missing slots are 0.
        sb.Append("\n        protection: (");
        for (var i = 0; i < ZoneTypes.Count; i++)
        {
            var reserve = i < lowmemReserve.Count ? lowmemReserve[i] : 0;
            sb.Append(inv, $"{(i == 0 ? "" : ", ")}{reserve}");
        }
        sb.Append(')');
    }

    /// <summary>"\n      %-12s %lu", the counter line format of zoneinfo.</summary>
    private static void AppendItem(StringBuilder sb, string name, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"\n      {name,-12} {value}");
}
