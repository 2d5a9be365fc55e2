using NumaSim.Model.Kernel;

namespace NumaSim.Workloads.Config;

/// <summary>`numasim.sysctl`: the run-time knobs, checked against the ranges the kernel accepts.</summary>
internal static class SysctlLoader
{
    public static SysctlSettings Load(ConfigNode sysctl)
    {
        var d = SysctlSettings.Default;
        if (!sysctl.Exists)
        {
            return d;
        }
        sysctl.OnlyKeys("numa-balancing", "demotion-enabled", "zone-reclaim-mode", "swappiness", "watermark-boost-factor");
        return new SysctlSettings(
            sysctl.Child("numa-balancing").Int(0, 3, d.NumaBalancing),
            sysctl.Child("demotion-enabled").Bool(d.DemotionEnabled),
            sysctl.Child("zone-reclaim-mode").Int(0, 7, d.ZoneReclaimMode),
            sysctl.Child("swappiness").Int(0, 200, d.Swappiness))
        {
            WatermarkBoostFactor = sysctl.Child("watermark-boost-factor").Int(0, int.MaxValue, d.WatermarkBoostFactor),
        };
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
            yield return "numasim.sysctl.demotion-enabled = on: demotion is not modelled yet";
        }
    }
}
