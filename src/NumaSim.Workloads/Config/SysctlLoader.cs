using System.Globalization;
using NumaSim.Model.Kernel;
using NumaSim.Model.Topology;
using NumaSim.Model.Sched;

namespace NumaSim.Workloads.Config;

/// <summary>`numasim.sysctl`: the run-time knobs, checked against the ranges the kernel accepts.</summary>
internal static class SysctlLoader
{
    public static SysctlSettings Load(ConfigNode sysctl, MachineTopology topology)
    {
        var d = SysctlSettings.Default;
        if (!sysctl.Exists)
        {
            return d;
        }
        sysctl.OnlyKeys("numa-balancing", "demotion-enabled", "zone-reclaim-mode", "swappiness", "watermark-boost-factor", "weighted-interleave",
            "numa-balancing-scan", "numa-balancing-hot-threshold", "numa-balancing-promote-rate-limit");
        return new SysctlSettings(
            sysctl.Child("numa-balancing").Int(0, 3, d.NumaBalancing),
            sysctl.Child("demotion-enabled").Bool(d.DemotionEnabled),
            sysctl.Child("zone-reclaim-mode").Int(0, 7, d.ZoneReclaimMode),
            sysctl.Child("swappiness").Int(0, 200, d.Swappiness))
        {
            WatermarkBoostFactor = sysctl.Child("watermark-boost-factor").Int(0, int.MaxValue, d.WatermarkBoostFactor),
            InterleaveWeights = LoadWeights(sysctl.Child("weighted-interleave"), topology),
            NumaBalancingScan = LoadScan(sysctl.Child("numa-balancing-scan")),
            NumaPromotion = new NumaPromotionSysctls(
                WholeMs(sysctl.Child("numa-balancing-hot-threshold"), NumaPromotionSysctls.Default.HotThresholdMs),
                sysctl.Child("numa-balancing-promote-rate-limit").Int(0, int.MaxValue, NumaPromotionSysctls.Default.RateLimitMBps)),
        };
    }

    // weighted-interleave = { 0 = 3, 1 = 1 }: /sys/kernel/mm/mempolicy/weighted_interleave/nodeN, one per node of
    // the machine (the kernel makes a file for every possible node), 1..255 as node_store takes a u8 weight.
    private static int[] LoadWeights(ConfigNode weights, MachineTopology topology)
    {
        if (!weights.Exists)
        {
            return [];
        }
        if (!weights.IsObject)
        {
            throw weights.Error("expected an object of node = weight, e.g. { 0 = 3, 1 = 1 }");
        }
        var table = new int[topology.Nodes.Count];
        foreach (var key in weights.Keys)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var node) || !topology.Nodes.Any(n => n.Id == node))
            {
                throw weights.Child(key).Error($"not a node of the machine (nodes: {CpuList.Format([.. topology.Nodes.Select(n => n.Id)])})");
            }
            table[node] = weights.Child(key).Int(1, 255);
        }
        return table;
    }

    /// <summary>`numasim.sysctl.numa-balancing-scan`: the scan's delay, period bounds (ms, whole) and size (MiB, whole).</summary>
    private static NumaBalancingSysctls LoadScan(ConfigNode scan)
    {
        var d = NumaBalancingSysctls.Default;
        if (!scan.Exists)
        {
            return d;
        }
        scan.OnlyKeys("delay", "period-min", "period-max", "size");
        int Ms(string key, int fallback) => WholeMs(scan.Child(key), fallback);
        var sizeNode = scan.Child("size");
        var size = sizeNode.Exists ? sizeNode.Bytes() : (long)d.ScanSizeMb << 20;
        if (size <= 0 || size % (1 << 20) != 0 || size >> 20 > int.MaxValue)
        {
            throw sizeNode.Error("must be a whole number of MiB, at least 1M");
        }
        var result = new NumaBalancingSysctls(Ms("delay", d.ScanDelayMs), Ms("period-min", d.ScanPeriodMinMs), Ms("period-max", d.ScanPeriodMaxMs), (int)(size >> 20));
        if (result.ScanPeriodMinMs == 0 || result.ScanPeriodMaxMs < result.ScanPeriodMinMs)
        {
            throw scan.Child("period-max").Error("the scan period needs 0 < period-min <= period-max");
        }
        return result;
    }

    /// <summary>A duration the kernel keeps in whole milliseconds (an int).</summary>
    private static int WholeMs(ConfigNode node, int fallback)
    {
        if (!node.Exists)
        {
            return fallback;
        }
        var ns = node.Nanoseconds();
        if (ns < 0 || ns % 1_000_000 != 0 || ns / 1_000_000 > int.MaxValue)
        {
            throw node.Error("must be a whole number of milliseconds");
        }
        return (int)(ns / 1_000_000);
    }

    /// <summary>
    /// What the settings ask of mechanisms the simulator does not have yet: each one a line for the user,
    /// so that a run never quietly ignores a knob.
    /// </summary>
    public static IEnumerable<string> NotModelled(SysctlSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        // Every knob of numasim.sysctl is modelled now; a new one the model lacks says so here.
        return [];
    }
}
