using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Proc;

/// <summary>
/// One cache line of /proc/slabinfo 2.x as read back from a file: the columns cache_show prints, in its order
/// (active_objs, num_objs, objsize, objperslab, pagesperslab; tunables limit, batchcount, sharedfactor; slabdata
/// active_slabs, num_slabs, sharedavail). <see cref="Line"/> is the 1-based line it came from (0 when built in code).
/// </summary>
public sealed record SlabinfoRow(
    string Name,
    long ActiveObjects,
    long NumObjects,
    long ObjectSize,
    long ObjectsPerSlab,
    long PagesPerSlab,
    long Limit,
    long BatchCount,
    long SharedFactor,
    long ActiveSlabs,
    long NumSlabs,
    long SharedAvail,
    int Line = 0)
{
    /// <summary>The row SlabinfoRenderer prints for <paramref name="cache"/>.</summary>
    public static SlabinfoRow From(SlabCacheSnapshot cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new SlabinfoRow(
            cache.Name, cache.ActiveObjects, cache.NumObjects, cache.ObjectSize, cache.ObjectsPerSlab, cache.PagesPerSlab,
            cache.Limit, cache.BatchCount, cache.SharedFactor, cache.ActiveSlabs, cache.NumSlabs, cache.SharedAvail);
    }
}
