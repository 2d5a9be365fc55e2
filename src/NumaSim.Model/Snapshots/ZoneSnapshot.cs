using NumaSim.Model.PageAlloc;
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

    public long FreeBlocksAtOrder(int order) => FreeBlocks.Sum(perType => perType[order]);
}
