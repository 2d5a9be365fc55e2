namespace NumaSim.Model.PageAlloc;

/// <summary>
/// Watermark boosting (mm/page_alloc.c, boost_watermark): a fallback that takes pages from another migratetype's
/// pageblock raises every watermark of the zone by a pageblock, up to <see cref="MaxWatermarkBoost"/>, so that kswapd
/// frees memory before the next fallback mixes another pageblock; kswapd takes the boost back after its run.
/// </summary>
public sealed partial class BuddyZone
{
    /// <summary>vm.watermark_boost_factor's default: the boost may reach 150 % of the high watermark.</summary>
    public const int DefaultWatermarkBoostFactor = 15000;

    /// <summary>zone->watermark_boost: pages added to each of the zone's watermarks.</summary>
    public long WatermarkBoost { get; private set; }

    /// <summary>Every page the boost ever grew by: with what kswapd took back, what a window-old copy misses.</summary>
    public long WatermarkBoostRaised { get; private set; }

    /// <summary>ZONE_BOOSTED_WATERMARK: a boost was raised for an allocation that may wake kswapd, which has not yet.</summary>
    public bool BoostedWatermark { get; private set; }

    /// <summary>The most the boost may reach; 0 when the zone is never boosted (see <see cref="MaxBoost"/>).</summary>
    public long MaxWatermarkBoost { get; init; }

    /// <summary>
    /// boost_watermark's limit: the factor (per 10,000) of the high watermark, at least a pageblock; 0 (no boosting)
    /// with the factor 0, in a zone of fewer than four pageblocks, or before the high watermark is set.
    /// </summary>
    public static long MaxBoost(long highWatermark, int factor, long managed, int pageblockOrder)
    {
        var pageblock = 1L << pageblockOrder;
        if (factor == 0 || pageblock * 4 > managed)
        {
            return 0;
        }
        // mult_frac(x, n, d): x / d * n + x % d * n / d, as the kernel computes it without overflow.
        var max = highWatermark / 10000 * factor + highWatermark % 10000 * factor / 10000;
        return max == 0 ? 0 : Math.Max(pageblock, max);
    }

    /// <summary>
    /// rmqueue's last step: a boosted zone wakes kswapd (wakeup_kswapd for order 0 and this zone) once. True when
    /// the caller must wake it; the flag is clear afterwards.
    /// </summary>
    public bool TakeBoostedWatermark()
    {
        var boosted = BoostedWatermark;
        BoostedWatermark = false;
        return boosted;
    }

    /// <summary>balance_pgdat's end: the boost kswapd saw when it started is taken back (no more than is left).</summary>
    public void ClearWatermarkBoost(long seen) => WatermarkBoost -= Math.Min(WatermarkBoost, seen);

    // steal_suitable_fallback: every steal below pageblock order from a block that is not highatomic boosts, whether
    // or not it may then take the whole block; only a request that may wake kswapd flags the zone for the wake.
    private void BoostWatermark(AllocFlags flags)
    {
        if (MaxWatermarkBoost == 0)
        {
            return;
        }
        var boosted = Math.Min(WatermarkBoost + (1L << PageblockOrder), MaxWatermarkBoost);
        WatermarkBoostRaised += boosted - WatermarkBoost;
        WatermarkBoost = boosted;
        if ((flags & AllocFlags.Kswapd) != 0)
        {
            BoostedWatermark = true;
        }
    }
}
