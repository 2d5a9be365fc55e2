namespace NumaSim.Model.Stats;

/// <summary>
/// The kernel's enum node_stat_item: per-node counters (zoneinfo's "per-node stats"). The THP items count base
/// pages, as the kernel keeps them.
/// Members are the kernel's items in its order (Linux 6.18, x86-64, NUMA, THP, no CMA), named after their
/// /proc/vmstat names (nr_free_pages: NrFreePages); the name table is NumaSim.Formats.Proc.VmstatItemNames.
/// Items the model does not count stay 0, as /proc prints them.
/// </summary>
public enum NodeStatItem
{
    NrInactiveAnon,
    NrActiveAnon,
    NrInactiveFile,
    NrActiveFile,
    NrUnevictable,
    NrSlabReclaimable,
    NrSlabUnreclaimable,
    NrIsolatedAnon,
    NrIsolatedFile,
    WorkingsetNodes,
    WorkingsetRefaultAnon,
    WorkingsetRefaultFile,
    WorkingsetActivateAnon,
    WorkingsetActivateFile,
    WorkingsetRestoreAnon,
    WorkingsetRestoreFile,
    WorkingsetNodereclaim,
    NrAnonPages,
    NrMapped,
    NrFilePages,
    NrDirty,
    NrWriteback,
    NrShmem,
    NrShmemHugepages,
    NrShmemPmdmapped,
    NrFileHugepages,
    NrFilePmdmapped,
    NrAnonTransparentHugepages,
    NrVmscanWrite,
    NrVmscanImmediateReclaim,
    NrDirtied,
    NrWritten,
    NrThrottledWritten,
    NrKernelMiscReclaimable,
    NrFollPinAcquired,
    NrFollPinReleased,
    NrKernelStack,
    NrPageTablePages,
    NrSecPageTablePages,
    NrIommuPages,
    NrSwapcached,
    PgpromoteSuccess,
    PgpromoteCandidate,
    PgpromoteCandidateNrl,
    PgdemoteKswapd,
    PgdemoteDirect,
    PgdemoteKhugepaged,
    PgdemoteProactive,
    NrHugetlb,
    NrBalloonPages,
    NrKernelFilePages,
}
