using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// alloc_demote_folio's page as this CPU's counters see it: the reclaiming node's kswapd took it from the target
/// zone (asked by message, the CPU having no part in it) and this CPU maps it; zone_statistics and pgalloc count it
/// here, a hit on the target (__GFP_THISNODE), local or other by the reclaimer's node.
/// </summary>
public sealed partial class CpuPageAllocator
{
    public void CountDemotionTarget(int zone, int reclaimerNode, int order = 0)
    {
        var node = ZoneIndex.Node(zone);
        Numa.CountAllocation(zone, node, zone, node, reclaimerNode);
        Events.CountAlloc(ZoneIndex.Type(zone), order);
    }
}
