using System.Numerics;

namespace NumaSim.Model.PageAlloc;

/// <summary>Per-CPU list sizing: zone_batchsize, zone_highsize and the vmstat threshold.</summary>
public static class PcpSetup
{
    public const int MinPercpuPagelistHighFraction = 8;

    public static int Batch(long managedPages, int pageSize)
    {
        var batch = (int)Math.Min(managedPages >> 10, (1 << 20) / pageSize) / 4;
        batch = Math.Max(batch, 1);
        batch = (int)BitOperations.RoundUpToPowerOf2((uint)(batch + batch / 2) + 1) / 2 - 1;
        return Math.Max(1, batch);
    }

    /// <summary>
    /// zone_set_pageset_high_and_batch: high_min from the low watermark and high_max from an eighth of the zone; a
    /// vm.percpu_pagelist_high_fraction sizes both from the zone, which turns the tuning off (high_min == high_max).
    /// </summary>
    public static (int Min, int Max) HighBounds(long managedPages, long lowWatermark, int batch, int cpusOnNode, int onlineCpus, int highFraction)
    {
        if (highFraction != 0)
        {
            var fixedHigh = High(managedPages, lowWatermark, batch, cpusOnNode, onlineCpus, highFraction);
            return (fixedHigh, fixedHigh);
        }
        return (
            High(managedPages, lowWatermark, batch, cpusOnNode, onlineCpus, 0),
            High(managedPages, lowWatermark, batch, cpusOnNode, onlineCpus, MinPercpuPagelistHighFraction));
    }

    /// <summary>zone_highsize: the high mark split over the CPUs local to the zone, at least 4 x batch.</summary>
    public static int High(long managedPages, long lowWatermark, int batch, int cpusOnNode, int onlineCpus, int highFraction)
    {
        var total = highFraction == 0 ? lowWatermark : managedPages / highFraction;
        var split = cpusOnNode > 0 ? cpusOnNode : onlineCpus;
        return (int)Math.Max(total / Math.Max(split, 1), batch << 2);
    }

    /// <summary>calculate_normal_threshold: how far a per-CPU vmstat delta may drift before it folds.</summary>
    public static int StatThreshold(long managedPages, int pageShift, int onlineCpus)
    {
        var mem = managedPages >> (27 - pageShift);
        var threshold = 2 * Fls(onlineCpus) * (1 + Fls(mem));
        return Math.Min(125, threshold);
    }

    private static int Fls(long x) => x == 0 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)x);
}
