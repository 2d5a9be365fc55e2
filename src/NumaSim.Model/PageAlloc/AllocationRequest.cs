namespace NumaSim.Model.PageAlloc;

/// <summary>alloc_pages(gfp, order) under a memory policy.</summary>
public sealed record AllocationRequest(int Order, Gfp Gfp, MemPolicy Policy)
{
    /// <summary>For a mapping's interleave policy: the page's offset in the mapping picks the node (interleave_nid).</summary>
    public long? InterleaveIndex { get; init; }

    /// <summary>
    /// __alloc_pages' preferred_nid when the caller names one (a migration target, alloc_pages_node): the zonelist is
    /// that node's, the policy's mask still applies; null: the allocating CPU's node, or the policy's.
    /// </summary>
    public int? Nid { get; init; }
}

/// <summary>What a CPU asks a zone for: one block, or a batch of blocks to refill a per-CPU list.</summary>
public readonly record struct ZoneRequest(int Zone, int Order, MigrateType Type, int Count, AllocFlags Flags, int HighestZoneIdx);

public enum AllocationStepKind
{
    Allocated,
    AskZone,
    Failed,

    /// <summary>wake_all_kswapds: wake the kswapd of every node in Nodes, then ResumeAfterWake.</summary>
    WakeKswapd,

    /// <summary>__alloc_pages_direct_reclaim: reclaim from Nodes in order, then ResumeAfterReclaim.</summary>
    DirectReclaim,

    /// <summary>drain_all_pages: every CPU's per-CPU lists back to the buddy lists, then ResumeAfterDrain.</summary>
    DrainAllPages,

    /// <summary>
    /// unreserve_highatomic_pageblock: ask the zones of Zones in order (UnreserveHighAtomic with Force, the pages going
    /// to Request.Type) until one gives a pageblock back, then ResumeAfterUnreserve with whether one did.
    /// </summary>
    UnreserveHighAtomic,

    /// <summary>node_reclaim of the node of Zone (vm.zone_reclaim_mode), then ResumeAfterNodeReclaim.</summary>
    NodeReclaim,

    /// <summary>__alloc_pages_may_oom: the caller runs the OOM killer; if it killed, Begin again.</summary>
    OutOfMemory,
}

/// <summary>Where an allocation stands: done (Pfn in Zone), waiting for a zone's answer, or failed.</summary>
public readonly record struct AllocationStep(AllocationStepKind Kind, long Pfn, int Zone, ZoneRequest Request)
{
    /// <summary>For WakeKswapd and DirectReclaim: the nodes of the zonelist, in its order.</summary>
    public IReadOnlyList<int> Nodes { get; init; } = [];

    /// <summary>For UnreserveHighAtomic: the zonelist's zones, in its order.</summary>
    public IReadOnlyList<int> Zones { get; init; } = [];

    /// <summary>
    /// For Allocated: a high-order atomic request took the page from the CPU's own list, so the zone must still
    /// reserve its pageblock (get_page_from_freelist's reserve_highatomic_pageblock after rmqueue_pcplist); a page the
    /// zone handed out was reserved there already.
    /// </summary>
    public bool ReserveHighAtomic { get; init; }

    /// <summary>For UnreserveHighAtomic: take the last pageblock of a zone's reserve too (the step before the OOM killer).</summary>
    public bool Force { get; init; }

    public static AllocationStep Done(long pfn, int zone) => new(AllocationStepKind.Allocated, pfn, zone, default);

    public static AllocationStep Ask(ZoneRequest request) => new(AllocationStepKind.AskZone, -1, request.Zone, request);

    public static AllocationStep Fail { get; } = new(AllocationStepKind.Failed, -1, -1, default);

    public static AllocationStep OutOfMemory { get; } = new(AllocationStepKind.OutOfMemory, -1, -1, default);
}
