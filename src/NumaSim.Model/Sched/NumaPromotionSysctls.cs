namespace NumaSim.Model.Sched;

/// <summary>
/// The knobs of promotion in NUMA balancing's memory tiering mode (kernel/sched/fair.c): a page of a lower tier is
/// hot when its hinting fault comes within <see cref="HotThresholdMs"/> of the scan that marked it
/// (/sys/kernel/debug/sched/numa_balancing/hot_threshold_ms), and each node takes at most
/// <see cref="RateLimitMBps"/> of candidates a second (kernel.numa_balancing_promote_rate_limit_MBps).
/// </summary>
public sealed record NumaPromotionSysctls(int HotThresholdMs, int RateLimitMBps)
{
    /// <summary>The kernel's defaults: 1000 ms, 65536 MB/s.</summary>
    public static NumaPromotionSysctls Default { get; } = new(1000, 65536);
}
