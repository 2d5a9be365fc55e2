using System.Globalization;
using NumaSim.Model.Kernel;
using NumaSim.Model.Topology;

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
        sysctl.OnlyKeys("numa-balancing", "demotion-enabled", "zone-reclaim-mode", "swappiness", "watermark-boost-factor", "weighted-interleave");
        return new SysctlSettings(
            sysctl.Child("numa-balancing").Int(0, 3, d.NumaBalancing),
            sysctl.Child("demotion-enabled").Bool(d.DemotionEnabled),
            sysctl.Child("zone-reclaim-mode").Int(0, 7, d.ZoneReclaimMode),
            sysctl.Child("swappiness").Int(0, 200, d.Swappiness))
        {
            WatermarkBoostFactor = sysctl.Child("watermark-boost-factor").Int(0, int.MaxValue, d.WatermarkBoostFactor),
            InterleaveWeights = LoadWeights(sysctl.Child("weighted-interleave"), topology),
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

    /// <summary>
    /// What the settings ask of mechanisms the simulator does not have yet: each one a line for the user,
    /// so that a run never quietly ignores a knob.
    /// </summary>
    public static IEnumerable<string> NotModelled(SysctlSettings s)
    {
        var d = SysctlSettings.Default;
        if (s.NumaBalancing != d.NumaBalancing)
        {
            yield return $"numasim.sysctl.numa-balancing = {s.NumaBalancing}: NUMA balancing and promotion are not modelled yet";
        }
        if (s.DemotionEnabled != d.DemotionEnabled)
        {
            yield return "numasim.sysctl.demotion-enabled = on: a run's reclaim does not demote yet; demotion is in the model's synchronous driver only";
        }
    }
}
