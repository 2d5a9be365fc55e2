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

/// <summary>What one reclaim pass counted, by the names /proc/vmstat gives them.</summary>
public sealed class ReclaimStat
{
    public long PgscanKswapd { get; set; }
    public long PgscanDirect { get; set; }
    public long PgstealKswapd { get; set; }
    public long PgstealDirect { get; set; }
    public long PgscanAnon { get; set; }
    public long PgscanFile { get; set; }
    public long PgstealAnon { get; set; }
    public long PgstealFile { get; set; }
    public long Pgrefill { get; set; }
    public long Pgactivate { get; set; }
    public long ZoneReclaimSuccess { get; set; }
    public long ZoneReclaimFailed { get; set; }

    public void CountScan(Reclaimer reclaimer, bool file, long pages)
    {
        // node_reclaim's passes count as direct reclaim (current is not kswapd).
        if (reclaimer == Reclaimer.Kswapd)
        {
            PgscanKswapd += pages;
        }
        else
        {
            PgscanDirect += pages;
        }
        if (file)
        {
            PgscanFile += pages;
        }
        else
        {
            PgscanAnon += pages;
        }
    }

    public void CountSteal(Reclaimer reclaimer, bool file, long pages)
    {
        if (reclaimer == Reclaimer.Kswapd)
        {
            PgstealKswapd += pages;
        }
        else
        {
            PgstealDirect += pages;
        }
        if (file)
        {
            PgstealFile += pages;
        }
        else
        {
            PgstealAnon += pages;
        }
    }
}

/// <summary>
/// What shrink_folio_list needs from the rest of the kernel for one isolated folio: whether page tables map it,
/// and taking it out of its page cache (leaving the shadow entry) and freeing it.
/// </summary>
public interface IReclaimHost
{
    /// <summary>folio_mapped: some page table maps it (a mapped folio is unmapped first, or kept if young).</summary>
    bool IsMapped(long pfn);

    /// <summary>__remove_mapping with the shadow entry workingset_eviction made; false if the folio is busy.</summary>
    bool RemoveFromPageCache(long pfn, long shadow);

    /// <summary>free_unref_folios: the page goes back to the page allocator.</summary>
    void Free(long pfn);
}
