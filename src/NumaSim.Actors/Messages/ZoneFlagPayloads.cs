namespace NumaSim.Actors.Messages;

/// <summary>
/// kswapd's balance_pgdat started (true) or ended (false) on the zone's node: ZONE_RECLAIM_ACTIVE, which the zone
/// shows in its view so that CPUs keep their per-CPU lists small meanwhile.
/// </summary>
public sealed record ZoneReclaimActive(bool Active) : ISimPayload;

/// <summary>balance_pgdat's end: the watermark boost kswapd saw at its start comes off the zone.</summary>
public sealed record ZoneWatermarkBoostCleared(long Boost) : ISimPayload;
