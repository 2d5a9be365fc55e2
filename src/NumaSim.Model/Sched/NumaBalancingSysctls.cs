namespace NumaSim.Model.Sched;

/// <summary>
/// The knobs of automatic NUMA balancing (kernel/sched/fair.c; /sys/kernel/debug/sched/numa_balancing/ in 6.12):
/// the first scan waits <see cref="ScanDelayMs"/> of a task's runtime, each scan marks up to
/// <see cref="ScanSizeMb"/> of resident memory, and the time between scans adapts between
/// <see cref="ScanPeriodMinMs"/> and <see cref="ScanPeriodMaxMs"/> (both divided by the task's scan windows).
/// </summary>
public sealed record NumaBalancingSysctls(int ScanDelayMs, int ScanPeriodMinMs, int ScanPeriodMaxMs, int ScanSizeMb)
{
    /// <summary>The kernel's defaults.</summary>
    public static NumaBalancingSysctls Default { get; } = new(1000, 1000, 60000, 256);
}
