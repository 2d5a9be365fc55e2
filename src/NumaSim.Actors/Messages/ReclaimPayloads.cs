namespace NumaSim.Actors.Messages;

/// <summary>
/// wakeup_kswapd: an allocation fell below the low watermark of this node's zones, or a fallback boosted the
/// watermarks of zone <paramref name="BoostedZone"/> (-1: none), whose boost had then grown by
/// <paramref name="BoostRaised"/> pages in all (<see cref="Model.PageAlloc.ZoneFreeView.WatermarkBoostRaised"/>).
/// </summary>
public sealed record KswapdWake(int Order, int HighestZoneIdx, int BoostedZone = -1, long BoostRaised = 0) : ISimPayload;

/// <summary>How a CPU asks a node's lruvec owner to reclaim on its behalf.</summary>
public enum ReclaimKind
{
    /// <summary>try_to_free_pages: the allocating task reclaims SWAP_CLUSTER_MAX pages itself.</summary>
    Direct,

    /// <summary>node_reclaim under vm.zone_reclaim_mode, before the allocation leaves the node.</summary>
    Node,
}

/// <summary>
/// A CPU's allocation reclaims on this node (the lruvec's owner does the work and answers <paramref name="ReplyTo"/>).
/// <paramref name="Target"/> is what is still to reclaim (direct reclaim visits the zonelist's nodes in turn).
/// </summary>
public sealed record ReclaimRequest(ReclaimKind Kind, int Cpu, int Order, int HighestZoneIdx, bool MayIo, long Target, int ReplyTo) : ISimPayload;

/// <summary>
/// The answer: pages reclaimed, and by zone index the pages freed (already on their way to the zones) and what the
/// zones still hold on their LRU lists that reclaim could free (zone_reclaimable_pages, for should_reclaim_retry; -1 for
/// zones of other nodes).
/// </summary>
public sealed record ReclaimReply(long Reclaimed, long[] FreedByZone, long[] ReclaimableByZone) : IServiceAnswer;

/// <summary>Pages reclaim took off the LRU, back to the zone's buddy lists.</summary>
public sealed record ReclaimedPages(long[] Pfns) : ISimPayload
{
    /// <summary>The order of every block (a demoted huge folio's source is one block of the huge order).</summary>
    public int Order { get; init; }
}

/// <summary>Page-cache pages the page cache put on this node's LRU (folio_add_lru), with the shadow entry each slot held (-1: none).</summary>
public sealed record LruAddFile(long[] Pfns, long[] Shadows) : ISimPayload;

/// <summary>Cached pages a read copied (folio_mark_accessed).</summary>
public sealed record LruMarkAccessed(long[] Pfns) : ISimPayload;

/// <summary>Reclaim evicted these page-cache pages: their slots now hold the shadow entries (__remove_mapping).</summary>
public sealed record PageCacheEvicted(long[] Pfns, long[] Shadows) : ISimPayload;
