namespace NumaSim.Replay;

/// <summary>Where a replay stands, for a progress line: simulated time reached and trace events applied.</summary>
public readonly record struct ReplayProgress(long SimulatedNs, long Events, TimeSpan Elapsed);
