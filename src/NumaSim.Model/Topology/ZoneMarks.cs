namespace NumaSim.Model.Topology;

/// <summary>
/// A zone's watermarks as a running kernel shows them (zoneinfo min/low/high/promo), in pages. The kernel computes
/// them at boot from the memory it manages then; a snapshot taken later carries them as they stand, which is
/// what the running kernel checks against.
/// </summary>
public sealed record ZoneMarks(long Min, long Low, long High, long Promo);
