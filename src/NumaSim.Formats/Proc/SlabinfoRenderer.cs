using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Proc;

/// <summary>/proc/slabinfo version 2.1 as mm/slab_common.c cache_show prints it: the tunables (limit, batchcount,
/// sharedfactor) as %4u and sharedavail as %6lu; SLUB's are 0. SLAB's STATS columns (CONFIG_DEBUG_SLAB) are not
/// printed.</summary>
public static class SlabinfoRenderer
{
    public const string Header =
        "slabinfo - version: 2.1\n" +
        "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>" +
        " : tunables <limit> <batchcount> <sharedfactor>" +
        " : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Render(s.SlabCaches);
    }

    public static string Render(IReadOnlyList<SlabCacheSnapshot> caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        var sb = new StringBuilder(Header);
        foreach (var c in caches)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Name,-17} {c.ActiveObjects,6} {c.NumObjects,6} {c.ObjectSize,6} {c.ObjectsPerSlab,4} {c.PagesPerSlab,4}");
            sb.Append(CultureInfo.InvariantCulture, $" : tunables {c.Limit,4} {c.BatchCount,4} {c.SharedFactor,4}");
            sb.Append(CultureInfo.InvariantCulture, $" : slabdata {c.ActiveSlabs,6} {c.NumSlabs,6} {c.SharedAvail,6}\n");
        }
        return sb.ToString();
    }
}
