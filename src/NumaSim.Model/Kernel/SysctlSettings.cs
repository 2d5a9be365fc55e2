namespace NumaSim.Model.Kernel;

/// <summary>
/// The run-time knobs of /proc/sys and /sys/kernel/mm that change what the kernel does under pressure
/// (numasim.sysctl): kernel.numa_balancing (0 off, 1 NUMA balancing, 2 memory tiering, 3 both),
/// /sys/kernel/mm/numa/demotion_enabled, vm.zone_reclaim_mode, vm.swappiness and vm.watermark_boost_factor.
/// </summary>
public sealed record SysctlSettings(int NumaBalancing, bool DemotionEnabled, int ZoneReclaimMode, int Swappiness)
{
    /// <summary>NUMA balancing's scan knobs (scan_delay_ms, scan_period_min_ms, scan_period_max_ms, scan_size_mb).</summary>
    public Sched.NumaBalancingSysctls NumaBalancingScan { get; init; } = Sched.NumaBalancingSysctls.Default;
    /// <summary>Promotion's knobs in the memory tiering mode (hot_threshold_ms, numa_balancing_promote_rate_limit_MBps).</summary>
    public Sched.NumaPromotionSysctls NumaPromotion { get; init; } = Sched.NumaPromotionSysctls.Default;
    /// <summary>vm.watermark_boost_factor: how far (per 10,000 of the high watermark) fallbacks boost a zone's watermarks.</summary>
    public int WatermarkBoostFactor { get; init; } = PageAlloc.BuddyZone.DefaultWatermarkBoostFactor;
    /// <summary>
    /// /sys/kernel/mm/mempolicy/weighted_interleave/nodeN (1..255) by node id; 0 or a node past the end: the
    /// default weight, 1.
    /// </summary>
    public IReadOnlyList<int> InterleaveWeights { get; init; } = [];

    public bool Equals(SysctlSettings? other) =>
        other is not null && NumaBalancing == other.NumaBalancing && DemotionEnabled == other.DemotionEnabled
        && ZoneReclaimMode == other.ZoneReclaimMode && Swappiness == other.Swappiness && WatermarkBoostFactor == other.WatermarkBoostFactor && NumaBalancingScan == other.NumaBalancingScan
        && NumaPromotion == other.NumaPromotion
        && InterleaveWeights.SequenceEqual(other.InterleaveWeights);

    public override int GetHashCode() => HashCode.Combine(NumaBalancing, DemotionEnabled, ZoneReclaimMode, Swappiness, WatermarkBoostFactor, NumaBalancingScan, NumaPromotion, InterleaveWeights.Count);

    /// <summary>The kernel's defaults on a machine that leaves them alone (Debian's 6.12 boots with numa_balancing 0 under QEMU).</summary>
    public static SysctlSettings Default { get; } = new(0, false, 0, 60);
}
