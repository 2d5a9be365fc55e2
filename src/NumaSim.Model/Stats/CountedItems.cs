namespace NumaSim.Model.Stats;

/// <summary>
/// The items of each counter family the model counts; the others stay 0, as /proc prints them. `numasim validate`
/// compares only these with the real kernel, so a newly counted item is listed here with its increments.
/// </summary>
public static class CountedItems
{
    public static readonly IReadOnlySet<ZoneStatItem> Zone = new HashSet<ZoneStatItem>
    {
        ZoneStatItem.NrFreePages, ZoneStatItem.NrFreePagesBlocks, ZoneStatItem.NrZoneActiveAnon, ZoneStatItem.NrZoneInactiveAnon,
    };

    public static readonly IReadOnlySet<NumaStatItem> Numa = new HashSet<NumaStatItem>(Enum.GetValues<NumaStatItem>());

    public static readonly IReadOnlySet<NodeStatItem> Node = new HashSet<NodeStatItem>
    {
        NodeStatItem.NrSlabReclaimable, NodeStatItem.NrSlabUnreclaimable, NodeStatItem.NrAnonPages,
        NodeStatItem.NrAnonTransparentHugepages, NodeStatItem.NrPageTablePages, NodeStatItem.NrActiveAnon,
        NodeStatItem.NrInactiveAnon,
    };

    public static readonly IReadOnlySet<VmEventItem> VmEvents = new HashSet<VmEventItem>
    {
        VmEventItem.PgallocDma, VmEventItem.PgallocDma32, VmEventItem.PgallocNormal, VmEventItem.PgallocMovable,
        VmEventItem.PgallocDevice, VmEventItem.AllocstallDma, VmEventItem.AllocstallDma32, VmEventItem.AllocstallNormal,
        VmEventItem.AllocstallMovable, VmEventItem.AllocstallDevice, VmEventItem.Pgfree, VmEventItem.Pgfault,
        VmEventItem.Pgmajfault, VmEventItem.Pswpin, VmEventItem.Pswpout, VmEventItem.OomKill, VmEventItem.ThpFaultAlloc, VmEventItem.ThpFaultFallback,
    };
}
