namespace NumaSim.Actors.Messages;

/// <summary>
/// Demotion's rmap walk, asked by the reclaiming node's kswapd of the CPU running the task that maps the folio
/// (served at once, as an interrupt): move the task's page at <paramref name="Vpn"/>, if it still maps
/// <paramref name="Pfn"/>, into <paramref name="NewPfn"/> of <paramref name="NewZone"/>, already allocated on the
/// target node (a block of the folio's <paramref name="Order"/>: a huge folio moves whole); follows the task if it
/// moved on.
/// </summary>
public sealed record DemoteRemap(int SourceNode, int TaskId, long Vpn, long Pfn, long NewPfn, int NewZone, int Order) : ISimPayload;

/// <summary>The remap's outcome, to the source node's kswapd: migrated (reclaim frees the old page) or not (it goes back on the list).</summary>
public sealed record DemoteDone(long Pfn, bool Migrated) : ISimPayload;

/// <summary>
/// Demotion of a page-cache folio, asked by the reclaiming node's kswapd of a CPU of its node (the one reclaim runs
/// on): copy <paramref name="Pfn"/> into <paramref name="NewPfn"/> of <paramref name="NewZone"/>, already allocated on
/// the target node; no page table maps it, so the page cache alone learns the new page (<see cref="PageCacheMigrate"/>).
/// </summary>
public sealed record DemoteFile(int SourceNode, long Pfn, long NewPfn, int NewZone) : ISimPayload;

/// <summary>
/// __folio_migrate_mapping for a demoted page-cache folio, from the CPU that copied it: the cache slot of
/// <paramref name="Pfn"/> holds <paramref name="NewPfn"/> now, which joins its node's LRU; the source node's kswapd
/// frees the old page (<see cref="DemoteDone"/>).
/// </summary>
public sealed record PageCacheMigrate(int SourceNode, long Pfn, long NewPfn, int NewZone) : ISimPayload;
