using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tiering;

namespace NumaSim.Model.Sched;

/// <summary>
/// What a CPU's fault handler needs for automatic NUMA balancing: the mode and scan sysctls, the zones'
/// watermarks with their free counts (as the CPU last saw them) for migrate_balanced_pgdat, and for the memory
/// tiering mode the machine's memory tiers (node_is_toptier) and promotion's sysctls.
/// </summary>
public sealed record NumaBalancingContext(NumaBalancingMode Mode, NumaBalancingSysctls Sysctls, PageAllocatorSetup Setup, Func<int, ZoneFreeView> Views)
{
    /// <summary>The machine's memory tiers; only nodes below the top tier are promoted from.</summary>
    public required MemoryTiers Tiers { get; init; }

    public NumaPromotionSysctls Promotion { get; init; } = NumaPromotionSysctls.Default;

    /// <summary>NUMA_BALANCING_NORMAL: pages follow the tasks that fault on them.</summary>
    public bool Normal => (Mode & NumaBalancingMode.Normal) != 0;

    /// <summary>NUMA_BALANCING_MEMORY_TIERING: hot pages of lower tiers are promoted.</summary>
    public bool Tiering => (Mode & NumaBalancingMode.MemoryTiering) != 0;

    /// <summary>folio_use_access_time for a folio on <paramref name="node"/>: its last_cpupid holds its scan time instead.</summary>
    public bool UsesAccessTime(int node) => Tiering && !Tiers.IsTopTier(node);
}
