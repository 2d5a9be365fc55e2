namespace NumaSim.Model.Sched;

/// <summary>How should_numa_migrate_memory judged a hinting fault on a page of a lower tier.</summary>
public enum PromotionVerdict
{
    /// <summary>The target node has room to spare (pgdat_free_space_enough): promoted without the hot check (pgpromote_candidate_nrl).</summary>
    FreeSpace,

    /// <summary>The fault came as late as the hot threshold after the scan, or later: the page stays.</summary>
    Cold,

    /// <summary>A candidate (pgpromote_candidate) over this second's rate limit: the page stays.</summary>
    RateLimited,

    /// <summary>A candidate (pgpromote_candidate) within the rate limit: promoted.</summary>
    Candidate,
}

/// <summary>
/// One target node's promotion state in the memory tiering mode (struct pglist_data's nbp_* fields,
/// kernel/sched/fair.c): the hot threshold that numa_promotion_adjust_threshold moves by an eighth of the sysctl
/// once per scan_period_max, as the candidates of that period came out above or below the rate limit's worth, and
/// the one-second windows of numa_promotion_rate_limit. Times are jiffies_to_msecs(jiffies). Writing the memory
/// tiering mode into kernel.numa_balancing resets the threshold's period to start then (reset_memory_tiering);
/// the rate limit's window start is never reset and the kernel's clock starts 5 minutes before wrapping, so the
/// first fault opens a window (a start not yet set here). <see cref="Candidates"/> is the node's
/// PGPROMOTE_CANDIDATE as the faulting CPU counts it: only the CPUs of a node promote to it, and each keeps the
/// state of the faults it takes.
/// </summary>
/// <param name="enabledMs">When the memory tiering mode was turned on (reset_memory_tiering).</param>
public sealed class PgdatPromotion(long enabledMs)
{
    /// <summary>NUMA_MIGRATION_ADJUST_STEPS: the threshold moves by 2 / 16 of the sysctl at a time.</summary>
    public const int AdjustSteps = 16;

    private const long MsPerSecond = 1000;

    private long _thresholdStart = enabledMs;
    private long _thresholdCandidates;
    private long? _rateStart;
    private long _rateCandidates;

    /// <summary>pgdat->nbp_threshold in ms (0: the sysctl's).</summary>
    public int Threshold { get; private set; }

    /// <summary>PGPROMOTE_CANDIDATE of the node: hot faults counted against the rate limit.</summary>
    public long Candidates { get; private set; }

    /// <summary>
    /// The memory tiering half of should_numa_migrate_memory for <paramref name="pages"/> whose hinting fault came
    /// <paramref name="latencyMs"/> after their scan, at <paramref name="nowMs"/>: room to spare promotes at once
    /// and resets the threshold; else the threshold is adjusted, the page must be hot under it, and the candidate
    /// is counted and must fall within the rate limit (MB/s in pages of 1 &lt;&lt; <paramref name="pageShift"/>).
    /// </summary>
    public PromotionVerdict Judge(long nowMs, long latencyMs, bool freeSpaceEnough, int pages, NumaPromotionSysctls sysctls, int scanPeriodMaxMs, int pageShift)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        if (freeSpaceEnough)
        {
            Threshold = 0;
            return PromotionVerdict.FreeSpace;
        }
        var rateLimit = (long)sysctls.RateLimitMBps << (20 - pageShift);
        AdjustThreshold(nowMs, rateLimit, sysctls.HotThresholdMs, scanPeriodMaxMs);
        var threshold = Threshold != 0 ? Threshold : sysctls.HotThresholdMs;
        if (latencyMs >= threshold)
        {
            return PromotionVerdict.Cold;
        }
        return RateLimit(nowMs, rateLimit, pages) ? PromotionVerdict.RateLimited : PromotionVerdict.Candidate;
    }

    /// <summary>
    /// numa_promotion_adjust_threshold: once a scan_period_max has passed, the candidates since the last adjustment
    /// against the rate limit's worth of that period: more than 11 tenths lowers the threshold by a unit (not
    /// below one), fewer than 9 tenths raises it (not above twice the sysctl).
    /// </summary>
    private void AdjustThreshold(long nowMs, long rateLimit, int referenceMs, int periodMs)
    {
        if (nowMs - _thresholdStart <= periodMs)
        {
            return;
        }
        _thresholdStart = nowMs;
        var reference = rateLimit * periodMs / MsPerSecond;
        var candidates = Candidates - _thresholdCandidates;
        var unit = referenceMs * 2 / AdjustSteps;
        var threshold = Threshold != 0 ? Threshold : referenceMs;
        if (candidates > reference * 11 / 10)
        {
            threshold = Math.Max(threshold - unit, unit);
        }
        else if (candidates < reference * 9 / 10)
        {
            threshold = Math.Min(threshold + unit, referenceMs * 2);
        }
        _thresholdCandidates = Candidates;
        Threshold = threshold;
    }

    /// <summary>
    /// numa_promotion_rate_limit: the pages are counted as candidates first; a window opened more than a second ago
    /// starts again at the count (this fault included); true when the window's candidates reach the limit.
    /// </summary>
    private bool RateLimit(long nowMs, long rateLimit, int pages)
    {
        Candidates += pages;
        if (_rateStart is not { } start || nowMs - start > MsPerSecond)
        {
            _rateStart = nowMs;
            _rateCandidates = Candidates;
        }
        return Candidates - _rateCandidates >= rateLimit;
    }
}
