using NumaSim.Actors.Coordination;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Cluster.Hosting;

/// <summary>A run over several processes: its result, or why it failed (a member lost) and the members it had.</summary>
public sealed record ClusterRunOutcome(SimulationResult? Result, string? Failure, IReadOnlyList<MemberInfo> Members, double WallSeconds);

/// <summary>The cluster could not be formed or a member refused its nodes: the run fails (exit 1).</summary>
public sealed class ClusterRunException(string message) : Exception(message);
