namespace NumaSim.Model.Stats;

/// <summary>
/// The kernel's enum numa_stat_item: per-zone NUMA allocation events (zone_statistics).
/// Members are the kernel's items in its order (Linux 6.18, x86-64, NUMA, THP, no CMA), named after their
/// /proc/vmstat names (nr_free_pages: NrFreePages); the name table is NumaSim.Formats.Proc.VmstatItemNames.
/// Items the model does not count stay 0, as /proc prints them.
/// </summary>
public enum NumaStatItem
{
    NumaHit,
    NumaMiss,
    NumaForeign,
    NumaInterleave,
    NumaLocal,
    NumaOther,
}
