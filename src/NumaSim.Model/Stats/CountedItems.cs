namespace NumaSim.Model.Stats;

/// <summary>
/// The items of each counter family the model counts; the others stay 0, as /proc prints them. `numasim validate`
/// compares only these with the real kernel, so a newly counted item is listed here with its increments.
/// pgpgin is counted (KiB read into the page cache) but not compared: the kernel lab's files are sparse, and a read
/// of a hole reads no block.
/// </summary>
public static class CountedItems
{
    public static readonly IReadOnlySet<ZoneStatItem> Zone = new HashSet<ZoneStatItem>
    {
        ZoneStatItem.NrFreePages, ZoneStatItem.NrFreePagesBlocks, ZoneStatItem.NrZoneActiveAnon, ZoneStatItem.NrZoneInactiveAnon,
        ZoneStatItem.NrZoneActiveFile, ZoneStatItem.NrZoneInactiveFile,
    };

    public static readonly IReadOnlySet<NumaStatItem> Numa = new HashSet<NumaStatItem>(Enum.GetValues<NumaStatItem>());

    public static readonly IReadOnlySet<NodeStatItem> Node = new HashSet<NodeStatItem>
    {
        NodeStatItem.NrSlabReclaimable, NodeStatItem.NrSlabUnreclaimable, NodeStatItem.NrAnonPages,
        NodeStatItem.NrAnonTransparentHugepages, NodeStatItem.NrPageTablePages, NodeStatItem.NrActiveAnon,
        NodeStatItem.NrInactiveAnon, NodeStatItem.NrActiveFile, NodeStatItem.NrInactiveFile, NodeStatItem.NrFilePages,
        NodeStatItem.WorkingsetRefaultAnon, NodeStatItem.WorkingsetRefaultFile, NodeStatItem.WorkingsetActivateAnon,
        NodeStatItem.WorkingsetActivateFile, NodeStatItem.WorkingsetRestoreAnon, NodeStatItem.WorkingsetRestoreFile,
        NodeStatItem.PgpromoteSuccess, NodeStatItem.PgpromoteCandidate, NodeStatItem.PgpromoteCandidateNrl,
        NodeStatItem.PgdemoteKswapd, NodeStatItem.PgdemoteDirect,
    };

    public static readonly IReadOnlySet<VmEventItem> VmEvents = new HashSet<VmEventItem>
    {
        VmEventItem.PgallocDma, VmEventItem.PgallocDma32, VmEventItem.PgallocNormal, VmEventItem.PgallocMovable,
        VmEventItem.PgallocDevice, VmEventItem.AllocstallDma, VmEventItem.AllocstallDma32, VmEventItem.AllocstallNormal,
        VmEventItem.AllocstallMovable, VmEventItem.AllocstallDevice, VmEventItem.Pgfree, VmEventItem.Pgfault,
        VmEventItem.Pgmajfault, VmEventItem.Pswpin, VmEventItem.Pswpout, VmEventItem.OomKill, VmEventItem.ThpFaultAlloc, VmEventItem.ThpFaultFallback,
        VmEventItem.PgscanKswapd, VmEventItem.PgscanDirect, VmEventItem.PgstealKswapd, VmEventItem.PgstealDirect,
        VmEventItem.PgscanFile, VmEventItem.PgscanAnon, VmEventItem.PgstealFile, VmEventItem.PgstealAnon,
        VmEventItem.Pageoutrun, VmEventItem.KswapdLowWmarkHitQuickly, VmEventItem.KswapdHighWmarkHitQuickly,
        VmEventItem.ZoneReclaimSuccess, VmEventItem.ZoneReclaimFailed,
        VmEventItem.NumaPteUpdates, VmEventItem.NumaHugePteUpdates, VmEventItem.NumaHintFaults, VmEventItem.NumaHintFaultsLocal,
        VmEventItem.NumaPagesMigrated, VmEventItem.PgmigrateSuccess, VmEventItem.PgmigrateFail, VmEventItem.ThpMigrationSuccess, VmEventItem.ThpMigrationFail,
        VmEventItem.ThpSplitPage, VmEventItem.ThpSplitPmd, VmEventItem.ThpSwpoutFallback,
    };
}
