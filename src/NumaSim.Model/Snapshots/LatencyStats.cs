namespace NumaSim.Model.Snapshots;

/// <summary>Percentiles of one latency kind, in simulated nanoseconds.</summary>
public sealed record LatencyStats(long Count, long P50, long P99, long Max);
