namespace NumaSim.Actors.Messages;

/// <summary>
/// kswapd's balance_pgdat started (true) or ended (false) on the zone's node: ZONE_RECLAIM_ACTIVE, which the zone
/// shows in its view so that CPUs keep their per-CPU lists small meanwhile.
/// </summary>
public sealed record ZoneReclaimActive(bool Active) : ISimPayload;

/// <summary>balance_pgdat's end: the watermark boost kswapd saw at its start comes off the zone.</summary>
public sealed record ZoneWatermarkBoostCleared(long Boost) : ISimPayload;

/// <summary>
/// reserve_highatomic_pageblock for a block of <paramref name="Order"/> at <paramref name="Pfn"/> that a CPU took from
/// its own list for a high-order atomic request (the zone reserves the blocks it hands out itself).
/// </summary>
public sealed record ZoneReserveHighAtomic(long Pfn, int Order) : ISimPayload;
