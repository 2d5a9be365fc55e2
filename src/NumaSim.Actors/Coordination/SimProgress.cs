namespace NumaSim.Actors.Coordination;

/// <summary>Where a run stands, for a progress line.</summary>
public readonly record struct SimProgress(long SimulatedNs, long Operations, long Rounds, TimeSpan Elapsed);
