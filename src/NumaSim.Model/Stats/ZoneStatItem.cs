namespace NumaSim.Model.Stats;

/// <summary>
/// The kernel's enum zone_stat_item: per-zone counters, summed over zones in /proc/vmstat.
/// Members are the kernel's items in its order (Linux 6.18, x86-64, NUMA, THP, no CMA), named after their
/// /proc/vmstat names (nr_free_pages: NrFreePages); the name table is NumaSim.Formats.Proc.VmstatItemNames.
/// Items the model does not count stay 0, as /proc prints them.
/// </summary>
public enum ZoneStatItem
{
    NrFreePages,
    NrFreePagesBlocks,
    NrZoneInactiveAnon,
    NrZoneActiveAnon,
    NrZoneInactiveFile,
    NrZoneActiveFile,
    NrZoneUnevictable,
    NrZoneWritePending,
    NrMlock,
    NrZspages,
    NrFreeCma,
}
