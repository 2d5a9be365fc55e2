using NumaSim.Model.Snapshots;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// Where a run sends slabinfo as it stands, between rounds, at most once per <paramref name="Every"/> of wall time
/// (runs with kernel allocations only). The peek waits for the round to end, so it never changes the simulation.
/// </summary>
public sealed record SlabinfoFeed(Action<IReadOnlyList<SlabCacheSnapshot>> Publish, TimeSpan Every);
