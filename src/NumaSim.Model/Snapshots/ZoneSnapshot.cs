using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Snapshots;

/// <summary>
/// Plain state of one populated zone at the end of a run: what /proc/buddyinfo, pagetypeinfo and
/// zoneinfo print. FreeBlocks is indexed [migratetype][order] (MigrateTypes.Count x orders).
/// </summary>
public sealed record ZoneSnapshot(
    int Node,
    ZoneSpec Spec,
    long FreePages,
    long FreePagesInPageblocks,
    ZoneWatermarks Watermarks,
    IReadOnlyList<long> LowmemReserve,
    long[][] FreeBlocks,
    IReadOnlyList<long> PageblocksByType,
    NumaEvents Numa,
    IReadOnlyList<PagesetSnapshot> Pagesets,
    int StatThreshold,
    long AllocatedPages)
{
    public ZoneType Type => Spec.Type;

    /// <summary>The zone_stat_item counters the buddy lists do not give (those of the zone's LRU lists, mlock, ...).</summary>
    public Counters<ZoneStatItem> Stats { get; init; } = Counters<ZoneStatItem>.Zero;

    /// <summary>A zone_stat_item: the free-page counters from the buddy lists, the others from <see cref="Stats"/>.</summary>
    public long Stat(ZoneStatItem item) => item switch
    {
        ZoneStatItem.NrFreePages => FreePages,
        ZoneStatItem.NrFreePagesBlocks => FreePagesInPageblocks,
        _ => Stats[item],
    };

    public long FreeBlocksAtOrder(int order) => FreeBlocks.Sum(perType => perType[order]);
}
