using NumaSim.Model.Slab;

namespace NumaSim.Workloads.Config;

/// <summary>kmem_cache_create's flag names as a scenario writes them, joined by |.</summary>
public static class SlabFlagNames
{
    private static readonly Dictionary<string, SlabFlags> Names = new(StringComparer.Ordinal)
    {
        ["SLAB_HWCACHE_ALIGN"] = SlabFlags.HwcacheAlign,
        ["SLAB_POISON"] = SlabFlags.Poison,
        ["SLAB_RED_ZONE"] = SlabFlags.RedZone,
        ["SLAB_PANIC"] = SlabFlags.Panic,
        ["SLAB_CACHE_DMA"] = SlabFlags.CacheDma,
        ["SLAB_CACHE_DMA32"] = SlabFlags.CacheDma32,
        ["SLAB_CONSISTENCY_CHECKS"] = SlabFlags.ConsistencyChecks,
        ["SLAB_STORE_USER"] = SlabFlags.StoreUser,
        ["SLAB_RECLAIM_ACCOUNT"] = SlabFlags.Reclaimable,
        ["SLAB_ACCOUNT"] = SlabFlags.Account,
        ["SLAB_TRACE"] = SlabFlags.Trace,
        ["SLAB_NO_REAP"] = SlabFlags.NoReap,
        ["SLAB_MUST_HWCACHE_ALIGN"] = SlabFlags.MustHwcacheAlign,
    };

    public static bool TryParse(string text, out SlabFlags flags, out string? unknown)
    {
        flags = SlabFlags.None;
        unknown = null;
        foreach (var part in text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "0")
            {
                continue;
            }
            if (!Names.TryGetValue(part, out var flag))
            {
                unknown = part;
                return false;
            }
            flags |= flag;
        }
        return true;
    }
}
