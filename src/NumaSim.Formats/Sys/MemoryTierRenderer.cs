using NumaSim.Model.Tiering;

namespace NumaSim.Formats.Sys;

/// <summary>
/// /sys/devices/virtual/memory_tiering/memory_tier&lt;K&gt;/nodelist (mm/memory-tiers.c, nodelist_show: "%*pbl\n"):
/// one directory per tier, named by its id, holding the tier's nodes as a range list.
/// </summary>
public static class MemoryTierRenderer
{
    public const string Directory = "sys/devices/virtual/memory_tiering";

    public static IEnumerable<(string Name, string Nodelist)> Files(MemoryTiers tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return tiers.Tiers.Select(t => (t.Name, CpuList.Format(t.Nodes) + "\n"));
    }
}
