namespace NumaSim.Model.Sched;

/// <summary>
/// The scan-period arithmetic of kernel/sched/fair.c for a task in no numa_group: how many scan windows its
/// resident memory makes (task_nr_scan_windows), the bounds of its period (task_scan_min, task_scan_max), the
/// period it starts with (task_scan_start) and how a placement moves it (update_task_scan_period). Periods are in
/// milliseconds and integer arithmetic is the kernel's, so that hand-worked numbers come out exactly.
/// </summary>
public static class NumaScanPeriod
{
    /// <summary>NUMA_PERIOD_SLOTS: the period is moved in tenths.</summary>
    public const int Slots = 10;

    /// <summary>NUMA_PERIOD_THRESHOLD: at or above 7 tenths (local or private faults) the task scans slower.</summary>
    public const int Threshold = 7;

    /// <summary>MAX_SCAN_WINDOW: never scan more than 2560 MB of PTEs a second.</summary>
    public const int MaxScanWindowMb = 2560;

    /// <summary>task_nr_scan_windows: the resident pages, rounded up to whole scans of scan_size (at least one).</summary>
    public static long Windows(NumaBalancingSysctls sysctls, int pageShift, long rssPages)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        var scanPages = (long)sysctls.ScanSizeMb << (20 - pageShift);
        var rss = rssPages == 0 ? scanPages : rssPages;
        rss = (rss + scanPages - 1) / scanPages * scanPages;
        return rss / scanPages;
    }

    /// <summary>task_scan_min: scan_period_min spread over the windows, but no faster than MAX_SCAN_WINDOW allows.</summary>
    public static int Min(NumaBalancingSysctls sysctls, int pageShift, long rssPages)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        var windows = sysctls.ScanSizeMb < MaxScanWindowMb ? MaxScanWindowMb / sysctls.ScanSizeMb : 1;
        var floor = 1000 / windows;
        var scan = (int)(sysctls.ScanPeriodMinMs / Windows(sysctls, pageShift, rssPages));
        return Math.Max(floor, scan);
    }

    /// <summary>task_scan_max: scan_period_max spread over the windows, never below the minimum.</summary>
    public static int Max(NumaBalancingSysctls sysctls, int pageShift, long rssPages)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        var smax = (int)(sysctls.ScanPeriodMaxMs / Windows(sysctls, pageShift, rssPages));
        return Math.Max(Min(sysctls, pageShift, rssPages), smax);
    }

    /// <summary>task_scan_start: the minimum, for a task in no numa_group.</summary>
    public static int Start(NumaBalancingSysctls sysctls, int pageShift, long rssPages) => Min(sysctls, pageShift, rssPages);

    /// <summary>
    /// update_task_scan_period past its first test (hinting faults were recorded and none failed to migrate): the
    /// period moves by tenths of itself. Mostly private faults (7 tenths or more) slow it by (ratio - 7) tenths,
    /// at least one; else mostly local faults do the same; else it speeds up by (7 - the larger ratio) tenths.
    /// The result is clamped to [min, max].
    /// </summary>
    public static int Adapt(int periodMs, long local, long remote, long shared, long priv, int minMs, int maxMs)
    {
        var periodSlot = (periodMs + Slots - 1) / Slots;
        var lrRatio = local + remote == 0 ? 0 : (int)(local * Slots / (local + remote));
        var psRatio = priv + shared == 0 ? 0 : (int)(priv * Slots / (priv + shared));
        int diff;
        if (psRatio >= Threshold)
        {
            diff = Math.Max(1, psRatio - Threshold) * periodSlot;
        }
        else if (lrRatio >= Threshold)
        {
            diff = Math.Max(1, lrRatio - Threshold) * periodSlot;
        }
        else
        {
            diff = -(Threshold - Math.Max(lrRatio, psRatio)) * periodSlot;
        }
        return Math.Clamp(periodMs + diff, minMs, maxMs);
    }

    /// <summary>The first test of update_task_scan_period: no local or shared fault, or a failed migration, doubles the period up to max.</summary>
    public static int Slower(int periodMs, int maxMs) => (int)Math.Min(maxMs, (long)periodMs << 1);
}
