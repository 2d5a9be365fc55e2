using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Sched;

/// <summary>
/// What a CPU's fault handler needs for automatic NUMA balancing: the mode and scan sysctls, and the zones'
/// watermarks with their free counts (as the CPU last saw them) for migrate_balanced_pgdat.
/// </summary>
public sealed record NumaBalancingContext(NumaBalancingMode Mode, NumaBalancingSysctls Sysctls, PageAllocatorSetup Setup, Func<int, ZoneFreeView> Views);
