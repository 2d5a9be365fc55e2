namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// numasim.cluster: which process holds which NUMA nodes (one list per process, the coordinator's
/// first; empty for round-robin) and how long members may take to join.
/// </summary>
public sealed record ClusterOptions(IReadOnlyList<IReadOnlyList<int>> Placement, TimeSpan JoinTimeout)
{
    public static ClusterOptions Default { get; } = new([], TimeSpan.FromSeconds(60));
}
