using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Migrate;

/// <summary>
/// The checks and the destination of migrate_misplaced_folio (mm/migrate.c): migrate_balanced_pgdat (a node is a
/// target only while one of its zones stays above its high watermark with the folio on it, so that the migration
/// wakes no kswapd), pgdat_free_space_enough (promotion's room to spare) and alloc_misplaced_dst_folio (a page of that node only, with no reclaim and no warning).
/// </summary>
public static class MisplacedFolio
{
    /// <summary>alloc_misplaced_dst_folio's gfp for an order-0 folio: GFP_HIGHUSER_MOVABLE on this node only, no reclaim, no retries.</summary>
    public const Gfp BaseGfp = (Gfp.ThisNode | Gfp.HighUserMovable | Gfp.NoMemalloc | Gfp.NoRetry | Gfp.NoWarn) & ~Gfp.Reclaim;

    /// <summary>The destination page's request: the target node alone (__folio_alloc_node with __GFP_THISNODE).</summary>
    public static AllocationRequest Destination(int order, int node) =>
        new(order, order > 0 ? Gfp.ThisNode | Gfp.TransHugeLight : BaseGfp, new MemPolicy(MemPolicyMode.Preferred, [node]));

    /// <summary>migrate_balanced_pgdat: some zone of the node, from the highest, stays above high + the folio's pages.</summary>
    public static bool BalancedPgdat(PageAllocatorSetup setup, Func<int, ZoneFreeView> view, int node, int pages) =>
        AnyZoneAbove(setup, view, node, WatermarkKind.High, pages);

    /// <summary>
    /// pgdat_free_space_enough (kernel/sched/fair.c): some zone of the node stays above its promo watermark with
    /// 1 GiB or a sixteenth of the node's present pages, the larger, to spare. Then promotion needs no hot check.
    /// </summary>
    public static bool FreeSpaceEnough(PageAllocatorSetup setup, Func<int, ZoneFreeView> view, int node)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var present = setup.Topology.Nodes[node].Zones.Sum(z => z.Present);
        var enough = Math.Max((1L << 30) >> setup.Topology.Arch.PageShift, present >> 4);
        return AnyZoneAbove(setup, view, node, WatermarkKind.Promo, enough);
    }

    private static bool AnyZoneAbove(PageAllocatorSetup setup, Func<int, ZoneFreeView> view, int node, WatermarkKind kind, long pages)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(view);
        for (var type = ZoneTypes.Count - 1; type >= 0; type--)
        {
            var index = ZoneIndex.Of(node, (ZoneType)type);
            if (!setup.IsPopulated(index))
            {
                continue;
            }
            var zone = setup.Zone(index);
            if (WatermarkCheck.Ok(view(index), 0, zone.Watermarks.Get(kind) + pages, zone.LowmemReserve, (int)ZoneType.Movable, default))
            {
                return true;
            }
        }
        return false;
    }
}
