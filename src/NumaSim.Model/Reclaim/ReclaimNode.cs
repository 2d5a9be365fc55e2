using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Reclaim;

/// <summary>
/// One node as reclaim sees it (struct pglist_data's reclaim side): its lruvec, its zones with their watermarks
/// and free pages, what shrink_folio_list needs to free a folio, and the counters reclaim keeps.
/// </summary>
public sealed partial class ReclaimNode
{
    public ReclaimNode(int node, Lruvec lruvec, IReadOnlyList<ZoneSetup> zones, Func<int, ZoneFreeView> view, IReclaimHost host)
    {
        Node = node;
        Lruvec = lruvec;
        Zones = zones;
        View = view;
        Host = host;
    }

    public int Node { get; }

    public Lruvec Lruvec { get; }

    /// <summary>The node's populated zones, lowest first.</summary>
    public IReadOnlyList<ZoneSetup> Zones { get; }

    /// <summary>A zone's free pages by zone index, as the reclaimer sees them.</summary>
    public Func<int, ZoneFreeView> View { get; }

    public IReclaimHost Host { get; }

    /// <summary>vm.swappiness; with no swap device it does not matter (get_swappiness gives 0).</summary>
    public int Swappiness { get; init; } = 60;

    /// <summary>get_nr_swap_pages: swap slots free; below MIN_LRU_BATCH anonymous memory is not reclaimable.</summary>
    public Func<long> FreeSwapPages { get; init; } = () => 0;

    /// <summary>
    /// kernel.numa_balancing's memory tiering mode (2 or 3): kswapd balances the node to its promo watermark rather than
    /// its high one (pgdat_balanced, should_abort_scan), leaving room for the pages promotion brings in.
    /// </summary>
    public bool MemoryTiering { get; init; }

    private WatermarkKind BalanceMark => MemoryTiering ? WatermarkKind.Promo : WatermarkKind.High;

    /// <summary>What reclaim on this node counted (the kernel adds it to the reclaiming CPU's vm events).</summary>
    public ReclaimStat Stat { get; } = new(new VmEventCounters());

    /// <summary>Sets or clears ZONE_RECLAIM_ACTIVE on the node's zones (balance_pgdat's start and end).</summary>
    public Action<bool> SetReclaimActive { get; init; } = _ => { };

    /// <summary>
    /// Takes back, at balance_pgdat's end, the boost kswapd saw on a zone (by zone index) when it started: the zone's
    /// owner subtracts it (no more than is left).
    /// </summary>
    public Action<int, long> ClearWatermarkBoost { get; init; } = (_, _) => { };

    /// <summary>pgdat->kswapd_failures: balance_pgdat runs that reclaimed nothing; 16 make the node hopeless.</summary>
    public int KswapdFailures { get; set; }

    /// <summary>get_swappiness: 0 when the pass may not swap or there is nowhere to swap or demote to.</summary>
    public int SwappinessFor(ScanControl sc) => !sc.MaySwap || (FreeSwapPages() < Lruvec.MinLruBatch && !CanDemote) ? 0 : Swappiness;

    /// <summary>
    /// zone_reclaimable_pages: the zone's file LRU pages, and its anonymous ones while swap has room or they can be
    /// demoted (can_reclaim_anon_pages).
    /// </summary>
    public long ZoneReclaimable(int zoneType)
    {
        var file = Lruvec.Size(LruList.InactiveFile, zoneType) + Lruvec.Size(LruList.ActiveFile, zoneType);
        return FreeSwapPages() > 0 || CanDemote ? file + Lruvec.Size(LruList.InactiveAnon, zoneType) + Lruvec.Size(LruList.ActiveAnon, zoneType) : file;
    }

    /// <summary>zone_watermark_ok (alloc_flags 0) of one zone against one of its watermarks plus <paramref name="extra"/>.</summary>
    public bool WatermarkOk(ZoneSetup zone, WatermarkKind kind, int order, int highestZoneIdx, long extra = 0)
    {
        var view = View(zone.Index);
        return WatermarkCheck.Ok(view, order, WatermarkCheck.Mark(zone, view, kind) + extra, zone.LowmemReserve, highestZoneIdx, 0);
    }

    /// <summary>zone->watermark_boost of a zone, as the reclaimer sees it.</summary>
    public long WatermarkBoost(ZoneSetup zone) => View(zone.Index).WatermarkBoost;

    /// <summary>pgdat_watermark_boosted: some managed zone up to the index carries a boost.</summary>
    public bool WatermarkBoosted(int highestZoneIdx) =>
        Zones.Any(z => (int)z.Spec.Type <= highestZoneIdx && z.Spec.Managed > 0 && WatermarkBoost(z) != 0);

    /// <summary>pgdat_balanced: one managed zone up to the index at its high (or promo) watermark is enough.</summary>
    public bool Balanced(int order, int highestZoneIdx)
    {
        var any = false;
        foreach (var zone in Zones)
        {
            if ((int)zone.Spec.Type > highestZoneIdx || zone.Spec.Managed == 0)
            {
                continue;
            }
            any = true;
            if (WatermarkOk(zone, BalanceMark, order, highestZoneIdx))
            {
                return true;
            }
        }
        return !any;
    }

    /// <summary>
    /// lru_gen_shrink_node (root memcg): one pass over the lruvec at the pass's priority; a pass that may not write
    /// or unmap (boosted kswapd, node_reclaim's default mode) reclaims nothing under the multi-gen LRU.
    /// </summary>
    public void ShrinkNode(ScanControl sc)
    {
        var before = sc.NrReclaimed;
        if (!sc.MayWritepage || !sc.MayUnmap)
        {
            return;
        }
        SetInitialPriority(sc);
        if (sc.Reclaimer == Reclaimer.Kswapd)
        {
            sc.NrReclaimed = 0;
        }
        Lruvec.TryToShrink(sc, SwappinessFor(sc), Host, Stat, ShouldAbortScan);
        if (sc.Reclaimer == Reclaimer.Kswapd)
        {
            sc.NrReclaimed += before;
        }
        if (sc.NrReclaimed > before)
        {
            KswapdFailures = 0;
        }
    }

    // set_initial_priority: a pass that must reclaim much starts where one round's share is about its target.
    private void SetInitialPriority(ScanControl sc)
    {
        if (sc.Priority != ScanControl.DefPriority || sc.NrToReclaim < Lruvec.MinLruBatch)
        {
            return;
        }
        var reclaimable = Lruvec.Size(LruList.InactiveFile);
        if (SwappinessFor(sc) != 0)
        {
            reclaimable += Lruvec.Size(LruList.InactiveAnon);
        }
        var priority = Fls(reclaimable) - 1 - Fls(sc.NrToReclaim - 1);
        sc.Priority = Math.Clamp(priority, ScanControl.DefPriority / 2, ScanControl.DefPriority);
    }

    // should_abort_scan: the pass has its target; for kswapd, every eligible zone is above high + MIN_LRU_BATCH.
    private bool ShouldAbortScan(ScanControl sc)
    {
        if (sc.NrReclaimed >= Math.Max(sc.NrToReclaim, 2L << sc.Order))
        {
            return true;
        }
        if (sc.Reclaimer != Reclaimer.Kswapd || sc.Order != 0)
        {
            return false;
        }
        foreach (var zone in Zones)
        {
            if ((int)zone.Spec.Type <= sc.ReclaimIdx && zone.Spec.Managed > 0
                && !WatermarkOk(zone, BalanceMark, 0, sc.ReclaimIdx, Lruvec.MinLruBatch))
            {
                return false;
            }
        }
        return true;
    }

    // fls_long: the position of the highest set bit, 1-based; 0 for 0.
    private static int Fls(long value) => value <= 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
}
