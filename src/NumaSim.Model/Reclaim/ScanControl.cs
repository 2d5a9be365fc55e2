using NumaSim.Model.Stats;

namespace NumaSim.Model.Reclaim;

/// <summary>Who reclaims: the counters a pass increments differ (pgscan_kswapd against pgscan_direct).</summary>
public enum Reclaimer
{
    Kswapd,
    Direct,
    NodeReclaim,
}

/// <summary>struct scan_control (mm/vmscan.c): one reclaim pass's target, limits and running totals.</summary>
public sealed class ScanControl
{
    /// <summary>DEF_PRIORITY: a pass starts scanning 1/4096 of the lists and halves the divisor each round.</summary>
    public const int DefPriority = 12;

    /// <summary>SWAP_CLUSTER_MAX.</summary>
    public const int SwapClusterMax = 32;

    public required Reclaimer Reclaimer { get; init; }

    public required long NrToReclaim { get; set; }

    /// <summary>The highest zone index whose pages may be reclaimed (sc->reclaim_idx).</summary>
    public required int ReclaimIdx { get; init; }

    public int Order { get; init; }

    public int Priority { get; set; } = DefPriority;

    public bool MayWritepage { get; set; } = true;

    public bool MayUnmap { get; init; } = true;

    public bool MaySwap { get; set; } = true;

    /// <summary>__GFP_IO in the caller's mask: without it dirty and anonymous folios are not isolated.</summary>
    public bool MayIo { get; init; } = true;

    public long NrScanned { get; set; }

    public long NrReclaimed { get; set; }
}

/// <summary>
/// The vm events reclaim counts, by the kernel's items (pgscan_kswapd, pgsteal_direct, pgrefill, ...): a thin
/// face over the reclaimer's own <see cref="VmEventCounters"/>, as count_vm_events adds to the running CPU's.
/// </summary>
public sealed class ReclaimStat(VmEventCounters events)
{
    public VmEventCounters Events { get; } = events;

    public long PgscanKswapd => Events[VmEventItem.PgscanKswapd];
    public long PgscanDirect => Events[VmEventItem.PgscanDirect];
    public long PgstealKswapd => Events[VmEventItem.PgstealKswapd];
    public long PgstealDirect => Events[VmEventItem.PgstealDirect];
    public long ZoneReclaimSuccess => Events[VmEventItem.ZoneReclaimSuccess];
    public long ZoneReclaimFailed => Events[VmEventItem.ZoneReclaimFailed];

    public void CountScan(Reclaimer reclaimer, bool file, long pages)
    {
        // node_reclaim's passes count as direct reclaim (current is not kswapd).
        Events.Count(reclaimer == Reclaimer.Kswapd ? VmEventItem.PgscanKswapd : VmEventItem.PgscanDirect, pages);
        Events.Count(file ? VmEventItem.PgscanFile : VmEventItem.PgscanAnon, pages);
    }

    public void CountSteal(Reclaimer reclaimer, bool file, long pages)
    {
        Events.Count(reclaimer == Reclaimer.Kswapd ? VmEventItem.PgstealKswapd : VmEventItem.PgstealDirect, pages);
        Events.Count(file ? VmEventItem.PgstealFile : VmEventItem.PgstealAnon, pages);
    }

    public void CountRefill(long pages) => Events.Count(VmEventItem.Pgrefill, pages);

    public void CountActivate(long pages) => Events.Count(VmEventItem.Pgactivate, pages);

    public void CountNodeReclaim(bool success) => Events.Count(success ? VmEventItem.ZoneReclaimSuccess : VmEventItem.ZoneReclaimFailed);
}

/// <summary>
/// What shrink_folio_list needs from the rest of the kernel for one isolated folio: whether page tables map it,
/// taking it out of its page cache (leaving the shadow entry), putting an anonymous folio in swap and unmapping it,
/// and freeing it.
/// </summary>
public interface IReclaimHost
{
    /// <summary>folio_mapped: some page table maps it (a mapped folio is unmapped first, or kept if young).</summary>
    bool IsMapped(long pfn);

    /// <summary>__remove_mapping with the shadow entry workingset_eviction made; false if the folio is busy.</summary>
    bool RemoveFromPageCache(long pfn, long shadow);

    /// <summary>
    /// add_to_swap: a swap slot for an anonymous folio and the folio in the swap cache under it (NR_SWAPCACHE,
    /// NR_FILE_PAGES); the slot it already holds if it is in the swap cache; -1 when swap is full.
    /// </summary>
    long AddToSwap(long pfn);

    /// <summary>
    /// try_to_unmap (rmap_walk_anon, try_to_unmap_one): every page-table entry mapping the anonymous folio becomes
    /// the swap entry of <paramref name="slot"/> (swap_duplicate), NR_ANON_MAPPED drops, the TLBs that may hold
    /// the entries are flushed; false if an entry could not be unmapped (the folio is then activated).
    /// </summary>
    bool TryToUnmap(long pfn, long slot);

    /// <summary>
    /// __remove_mapping for an unmapped folio in the swap cache: it leaves the cache with the shadow entry in its
    /// slot; false if it is not there or is busy.
    /// </summary>
    bool RemoveFromSwapCache(long pfn, long shadow);

    /// <summary>free_unref_folios: the page goes back to the page allocator.</summary>
    void Free(long pfn);

    /// <summary>
    /// split_folio_to_list for a mapped huge anonymous folio swap cannot take whole: true when the host split it, so
    /// that each of its pages is a folio of its own from now on (its reverse map at once; the page table's huge entry
    /// and the page allocator's block, thp_split_pmd and thp_split_page, may follow on the host's time, before any of
    /// the pages is unmapped or freed). False: the folio stays whole and is activated.
    /// </summary>
    bool SplitFolio(long pfn) => false;

    /// <summary>
    /// <see cref="MigrateFolio"/>'s answer when the host moves the folio on its own time: the folio is off the lists
    /// and counts as reclaimed for the pass; the host reports the outcome later (<see cref="Lru.Lruvec.DemotionDone"/>)
    /// and puts it back on the list if it could not move it.
    /// </summary>
    public const long MigrationQueued = -2;

    /// <summary>
    /// <see cref="MigrateFolio"/>'s answer for a folio this host cannot move now (busy, or of a kind it does not
    /// migrate): the batch goes on with the next one; the folio goes through reclaim again without demotion.
    /// </summary>
    public const long MigrationBusy = -3;

    /// <summary>
    /// migrate_pages for one isolated folio being demoted: the first of <paramref name="targets"/> that the page
    /// allocator grants (on the reclaiming CPU, no direct reclaim) takes its contents; the page-table entries or the
    /// page-cache slot point at the new folio, which goes on its node's LRU, and the old one is freed (NR_ANON_MAPPED
    /// and the like move with it). Returns the new pfn; -1 when no target had a page (-ENOMEM: the batch stops and
    /// the folio stays); <see cref="MigrationQueued"/> or <see cref="MigrationBusy"/>. A host that cannot move pages
    /// keeps every folio; reclaim then goes on as without demotion.
    /// </summary>
    long MigrateFolio(long pfn, IReadOnlyList<PageAlloc.AllocationRequest> targets) => -1;
}
