using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// min_free_kbytes and the per-zone watermarks as the kernel computes them at boot:
/// init_per_zone_wmark_min, khugepaged's set_recommended_min_free_kbytes, __setup_per_zone_wmarks.
/// </summary>
public static class WatermarkSetup
{
    public static long MinFreeKbytes(MachineTopology t)
    {
        if (t.Vm.MinFreeKbytes is { } fixedValue)
        {
            return fixedValue;
        }
        var kbPerPage = t.Arch.PageSize >> 10;
        var lowmemKbytes = LowZones(t).Sum(z => z.Managed) * kbPerPage;
        var minFree = Math.Clamp(ISqrt(lowmemKbytes * 16), 128, 262144);
        if (!t.Vm.ThpRecommendedMinFree)
        {
            return minFree;
        }
        // khugepaged runs after the first watermarks exist, so its 5% cap sees managed - high.
        var first = Compute(t, minFree);
        var freeBuffer = 0L;
        foreach (var node in t.Nodes)
        {
            foreach (var zone in node.Zones.Where(z => z.Type <= ZoneType.Normal))
            {
                freeBuffer += Math.Max(zone.Managed - first[ZoneIndex.Of(node.Id, zone.Type)]!.High, 0);
            }
        }
        long populated = LowZones(t).Count(z => z.Managed > 0);
        var pageblock = t.Arch.PageblockPages;
        var recommended = pageblock * populated * 2 + pageblock * populated * MigrateTypes.PcpTypes * MigrateTypes.PcpTypes;
        recommended = Math.Min(recommended, freeBuffer / 20) * kbPerPage;
        return Math.Max(minFree, recommended);
    }

    /// <summary>Watermarks of every zone slot (null for unpopulated ones), indexed by ZoneIndex.</summary>
    public static ZoneWatermarks?[] Compute(MachineTopology t) => Compute(t, MinFreeKbytes(t));

    private static ZoneWatermarks?[] Compute(MachineTopology t, long minFreeKbytes)
    {
        var pagesMin = minFreeKbytes >> (t.Arch.PageShift - 10);
        var lowmemPages = t.Nodes.SelectMany(n => n.Zones).Where(z => z.Type != ZoneType.Movable).Sum(z => z.Managed);
        var result = new ZoneWatermarks?[t.Nodes.Count * ZoneTypes.Count];
        foreach (var node in t.Nodes)
        {
            foreach (var zone in node.Zones)
            {
                var tmp = lowmemPages == 0 ? 0 : pagesMin * zone.Managed / lowmemPages;
                var min = zone.Type == ZoneType.Movable ? Math.Clamp(zone.Managed / 1024, 32, 128) : tmp;
                var gap = Math.Max(tmp >> 2, zone.Managed * t.Vm.WatermarkScaleFactor / 10000);
                result[ZoneIndex.Of(node.Id, zone.Type)] = new ZoneWatermarks(min, min + gap, min + 2 * gap, min + 3 * gap);
            }
        }
        return result;
    }

    /// <summary>setup_per_zone_lowmem_reserve: protection of each zone against requests that could use a higher one.</summary>
    public static long[] LowmemReserve(NodeSpec node, ZoneType type, VmTunables vm)
    {
        var reserve = new long[ZoneTypes.Count];
        var i = (int)type;
        var ratio = i < vm.LowmemReserveRatio.Count ? vm.LowmemReserveRatio[i] : 0;
        var self = node.Zone(type)?.Managed ?? 0;
        long managed = 0;
        for (var j = i + 1; j < ZoneTypes.Count; j++)
        {
            managed += node.Zone((ZoneType)j)?.Managed ?? 0;
            reserve[j] = ratio == 0 || self == 0 ? 0 : managed / ratio;
        }
        return reserve;
    }

    private static IEnumerable<ZoneSpec> LowZones(MachineTopology t) =>
        t.Nodes.SelectMany(n => n.Zones).Where(z => z.Type <= ZoneType.Normal);

    private static long ISqrt(long x) => (long)Math.Sqrt(x) is var r && r * r > x ? r - 1 : r;
}
