using NumaSim.Results;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// Who wants the machine's state in the middle of a run. Between rounds every component is idle,
/// so the coordinator can collect their state as at the end and the runner folds it the same way:
/// a live view equals the final outputs once the run is over.
/// </summary>
public sealed record RunObservers
{
    /// <summary>Called about every <see cref="LiveInterval"/> of wall time (metrics exporters); does not change the outputs.</summary>
    public Action<SimulationResult>? Live { get; init; }

    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called at points of simulated time that depend only on the scenario and seed (the report's timeline).</summary>
    public Action<TimelinePoint>? Sample { get; init; }

    /// <summary>
    /// Take each sample from the whole state folded as at the end, as a live view is, instead of from each component's
    /// few counters (<c>CollectTimeline</c>): slower, and the same points; tests compare the two.
    /// </summary>
    internal bool SampleWholeState { get; init; }

    /// <summary>Keep access latency by (kind, CPU's node, page's node) as well (the metrics' node-pair histogram); off, nothing is recorded.</summary>
    public bool LatencyByNodePair { get; init; }
}
